"""Audio loading: any wav/flac/ogg at any rate → float32 mono at 16 kHz, plus speaker-folder loaders."""
import os
from math import gcd

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

TARGET_RATE = 16000
AUDIO_EXTENSIONS = ('.wav', '.flac', '.ogg')


def resample(x, rate, target=TARGET_RATE):
    if rate == target:
        return x.astype(np.float32, copy=False)
    g = gcd(int(rate), int(target))
    return resample_poly(x, target // g, int(rate) // g).astype(np.float32)


def load_audio(path, target=TARGET_RATE):
    """Decode with libsndfile (wav, flac, ogg/vorbis), downmix to mono, resample to `target`."""
    x, rate = sf.read(path, dtype='float32', always_2d=True)
    return resample(x.mean(axis=1), rate, target)


def list_audio(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.lower().endswith(AUDIO_EXTENSIONS))


def speaker_folders(root):
    """Folder-per-speaker layout: root/<speaker>/*.{wav,flac,ogg} → {speaker: [files sorted by name]}."""
    out = {}
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if os.path.isdir(d):
            files = list_audio(d)
            if files:
                out[name] = files
    return out


def librispeech_speakers(root):
    """LibriSpeech layout: <speaker>-<chapter>-<utt>.flac files (flat, as in the shared subset) or the
    original <speaker>/<chapter>/<speaker>-<chapter>-<utt>.flac tree → {speaker: [files]}."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.lower().endswith('.flac') and f.count('-') >= 2:
                out.setdefault(f.split('-')[0], []).append(os.path.join(dirpath, f))
    return {k: sorted(v) for k, v in sorted(out.items())}


def asterisk_speakers(packages, extensions=AUDIO_EXTENSIONS):
    """{speaker: [dirs]} → {speaker: [every audio file below those dirs]}: each Debian prompt package is one voice."""
    out = {}
    for speaker, dirs in packages.items():
        files = []
        for d in dirs:
            for dirpath, _, names in os.walk(d):
                files += [os.path.join(dirpath, n) for n in names if n.lower().endswith(extensions)]
        if files:
            out[speaker] = sorted(files)
    return out
