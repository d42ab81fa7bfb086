"""Training/evaluation corpora: who is trained on, who is held out, and random crops for batches."""
import os

import numpy as np
import soundfile as sf

from audio_io import asterisk_speakers, librispeech_speakers, load_audio, TARGET_RATE

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ASTERISK_EXTENSIONS = ('.wav', '.gsm')  # the armelle and es-co packages ship raw GSM 6.10, which libsndfile reads


def repo_path(p):
    return p if os.path.isabs(p) else os.path.join(REPO_ROOT, p)


def trim_silence(x, rate=TARGET_RATE, threshold_db=-40.0):
    """Drops leading/trailing 20 ms frames more than 40 dB below the loudest frame."""
    hop = rate // 50
    n = len(x) // hop
    if n < 2:
        return x
    energy = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12)
    voiced = np.flatnonzero(energy > energy.max() + threshold_db)
    return x[voiced[0] * hop:(voiced[-1] + 1) * hop]


def librispeech_split(cfg, seed):
    """Seeded hold-out of LibriSpeech speakers whose utterance is long enough to give several 3 s probes."""
    speakers = librispeech_speakers(repo_path(cfg['librispeech']))
    ho = cfg['librispeech_heldout']
    long_enough = [s for s, fs in speakers.items() if sum(sf.info(f).duration for f in fs) >= ho['min_seconds']]
    rng = np.random.default_rng(seed)
    heldout = set(rng.choice(sorted(long_enough), size=ho['count'], replace=False).tolist())
    train = {s: fs for s, fs in speakers.items() if s not in heldout}
    test = {s: fs for s, fs in speakers.items() if s in heldout}
    return train, test


def asterisk_files(cfg, which):
    root = cfg['asterisk_root']
    packages = {spk: [os.path.join(root, d) for d in dirs] for spk, dirs in cfg[which].items()}
    return {spk: [f for f in files if '/silence/' not in f]
            for spk, files in asterisk_speakers(packages, ASTERISK_EXTENSIONS).items()}


def load_speaker_stream(files, max_seconds=None, rng=None):
    """Concatenates silence-trimmed files of one speaker into one 16 kHz stream (optionally a random subset)."""
    files = list(files)
    if rng is not None:
        rng.shuffle(files)
    parts, total = [], 0
    for f in files:
        x = trim_silence(load_audio(f))
        if len(x) < TARGET_RATE // 4:
            continue
        parts.append(x)
        total += len(x)
        if max_seconds is not None and total >= max_seconds * TARGET_RATE:
            break
    return np.concatenate(parts).astype(np.float32)


def build_training_speakers(cfg, seed):
    """[(name, stream)] for every training speaker: LibriSpeech minus held-out + asterisk training voices."""
    rng = np.random.default_rng(seed)
    libri_train, _ = librispeech_split(cfg, seed)
    speakers = [(f'libri-{s}', load_speaker_stream(fs)) for s, fs in libri_train.items()]
    for spk, files in asterisk_files(cfg, 'asterisk_train').items():
        speakers.append((f'asterisk-{spk}', load_speaker_stream(files, cfg['asterisk_max_minutes'] * 60, rng)))
    return speakers


def random_crop(x, n, rng):
    """n samples at a random offset; short streams are tiled."""
    if len(x) < n:
        x = np.tile(x, n // len(x) + 1)
    start = rng.integers(0, len(x) - n + 1)
    return x[start:start + n]
