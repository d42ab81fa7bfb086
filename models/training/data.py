"""Training/evaluation corpora: who is trained on, who is held out, and random crops for batches."""
import glob
import hashlib
import json
import os
import pickle

import numpy as np
import soundfile as sf

from audio_io import asterisk_speakers, librispeech_speakers, load_audio, speaker_folders, TARGET_RATE

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


def speechocean_files(cfg, which=None):
    """{SPEAKERxxxx: [files]}; which = 'heldout' | 'validation' | 'train' (every speaker in neither list)."""
    v2 = cfg['v2']
    folders = speaker_folders(repo_path(v2['speechocean']))
    lists = {'heldout': v2['speechocean_heldout'], 'validation': v2['speechocean_validation']}
    if which in lists:
        wanted = {f'SPEAKER{s}' for s in lists[which]}
        return {k: v for k, v in folders.items() if k in wanted}
    excluded = {f'SPEAKER{s}' for s in lists['heldout'] + lists['validation']}
    return {k: v for k, v in folders.items() if k not in excluded}


def librispeech_validation(cfg, seed):
    """The v2 validation speakers: 20 of v1's LibriSpeech training pool (config data.v2.librispeech_validation)."""
    train, _ = librispeech_split(cfg, seed)
    return {s: fs for s, fs in train.items() if s in set(cfg['v2']['librispeech_validation'])}


def debian_voice_files(cfg):
    """{voice: [files]} from the glob patterns of config data.v2.debian_voices ((package, language) = one speaker)."""
    out = {}
    for voice, patterns in cfg['v2']['debian_voices'].items():
        files = sorted({f for p in patterns for f in glob.glob(p, recursive=True)})
        if files:
            out[voice] = files
    return out


def build_training_speakers_v2(cfg, seed):
    """v1's sources minus the LibriSpeech validation speakers, plus speechocean762 training speakers, the
    Arabic speech commands speakers and the Debian voice packages (each ≤ max_minutes; a Debian voice with < min_seconds is left out)."""
    rng = np.random.default_rng(seed)
    v2 = cfg['v2']
    libri_train, _ = librispeech_split(cfg, seed)
    libri_val = set(v2['librispeech_validation'])
    speakers = [(f'libri-{s}', load_speaker_stream(fs)) for s, fs in libri_train.items() if s not in libri_val]
    for spk, files in asterisk_files(cfg, 'asterisk_train').items():
        speakers.append((f'asterisk-{spk}', load_speaker_stream(files, cfg['asterisk_max_minutes'] * 60, rng)))
    for spk, files in speechocean_files(cfg, 'train').items():
        speakers.append((f'so762-{spk}', load_speaker_stream(files)))
    for spk, files in speaker_folders(repo_path(v2['arabic_commands'])).items():
        speakers.append((f'arabic-{spk}', load_speaker_stream(files)))
    for spk, files in debian_voice_files(cfg).items():
        x = load_speaker_stream(files, v2['max_minutes'] * 60, rng)
        if len(x) >= v2['min_seconds'] * TARGET_RATE:  # a few ktuberling languages have only a dozen words
            speakers.append((f'debian-{spk}', x))
    return speakers


def cached_training_speakers(cfg, seed, version, cache_dir='/tmp/voice-train-cache'):
    """Decoded training streams, cached under /tmp (never in the repository) keyed by the data config."""
    key = hashlib.sha256(json.dumps([cfg, seed, version], sort_keys=True).encode()).hexdigest()[:16]
    path = os.path.join(cache_dir, f'{version}-{key}.pkl')
    if os.path.exists(path):
        with open(path, 'rb') as f:
            return pickle.load(f)
    speakers = build_training_speakers_v2(cfg, seed) if version == 'v2' else build_training_speakers(cfg, seed)
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        pickle.dump(speakers, f, protocol=4)
    os.replace(path + '.tmp', path)
    return speakers


def random_crop(x, n, rng):
    """n samples at a random offset; short streams are tiled."""
    if len(x) < n:
        x = np.tile(x, n // len(x) + 1)
    start = rng.integers(0, len(x) - n + 1)
    return x[start:start + n]
