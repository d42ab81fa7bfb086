"""Speaker-verification evaluation shared by training (validation) and eval.py.

Protocol (the same as the kiosk's `eval voice` CLI, with energy trimming instead of the kiosk's VAD):
per speaker, the first K files sorted by name are the enrolment (average of L2-normalised embeddings);
every other file, its silence trimmed and its centre cut to `crop` seconds, is a probe scored by cosine
against every enrolled speaker. Genuine = probe vs own template, impostor = probe vs the others.
"""
import os

import numpy as np
import torch

from audio_io import load_audio, speaker_folders, TARGET_RATE
from augment import band_limit_8k
from data import asterisk_files, librispeech_split, repo_path, trim_silence
from metrics import eer, tar_at_far


def centre_crop(x, seconds):
    n = int(seconds * TARGET_RATE) if seconds else len(x)
    if len(x) <= n:
        return x
    start = (len(x) - n) // 2
    return x[start:start + n]


def normalise(v):
    return v / (np.linalg.norm(v) + 1e-12)


class Embedder:
    """Callable pcm → unit vector, for the encoder or the mean-log-mel baseline."""

    def __init__(self, model, frontend, baseline=False):
        self.model, self.frontend, self.baseline = model, frontend, baseline

    @torch.no_grad()
    def __call__(self, pcm):
        feats = self.frontend(torch.from_numpy(np.ascontiguousarray(pcm, dtype=np.float32))[None])
        if self.baseline:
            return normalise(feats[0].mean(dim=0).numpy().astype(np.float64))
        self.model.eval()
        return self.model(feats)[0].numpy().astype(np.float64)


def score(enrol, probes, embed):
    """enrol: {spk: [pcm]}, probes: [(spk, pcm)] → metrics dict."""
    names = sorted(enrol)
    templates = np.stack([normalise(np.mean([embed(x) for x in enrol[s]], axis=0)) for s in names])
    genuine, impostor, hits, counted = [], [], 0, 0
    for spk, pcm in probes:
        sims = templates @ embed(pcm)
        for j, s in enumerate(names):
            (genuine if s == spk else impostor).append(float(sims[j]))
        if spk in names:
            counted += 1
            hits += names[int(np.argmax(sims))] == spk
    if not genuine or not impostor:
        return None
    return {'eer': eer(genuine, impostor), 'tarAtFar': {'0.01': tar_at_far(genuine, impostor, 0.01),
            '0.001': tar_at_far(genuine, impostor, 0.001)}, 'rank1': hits / max(1, counted),
            'genuine': len(genuine), 'impostor': len(impostor), 'speakers': len(names)}


def file_gallery(speaker_files, k, crop, min_seconds=0.0, probe_transform=None):
    """Folder-per-speaker gallery → (enrol, probes). Files shorter than min_seconds of speech are skipped."""
    enrol, probes = {}, []
    for spk, files in speaker_files.items():
        clips = [trim_silence(load_audio(f)) for f in files]
        clips = [c for c in clips if len(c) >= max(min_seconds * TARGET_RATE, 400)]
        if len(clips) < k:
            continue
        enrol[spk] = clips[:k]
        for c in clips[k:]:
            p = centre_crop(c, crop)
            probes.append((spk, probe_transform(p) if probe_transform else p))
    return enrol, probes


def segment_gallery(speaker_files, k, seconds, probe_transform=None):
    """One long utterance per speaker → consecutive `seconds` segments: first k enrol, the rest probe."""
    enrol, probes = {}, []
    n = int(seconds * TARGET_RATE)
    for spk, files in speaker_files.items():
        x = np.concatenate([trim_silence(load_audio(f)) for f in files])
        segs = [x[i:i + n] for i in range(0, len(x) - n + 1, n)]
        if len(segs) < k:
            continue
        enrol[spk] = segs[:k]
        probes += [(spk, probe_transform(s) if probe_transform else s) for s in segs[k:]]
    return enrol, probes


def leaf_speaker_folders(root):
    """Every folder below root that directly holds audio is one speaker, named by its path from root."""
    out = {}
    for dirpath, dirnames, _ in os.walk(root):
        dirnames.sort()
        got = speaker_folders(dirpath)
        for name, files in got.items():
            if not any(os.path.isdir(os.path.join(dirpath, name, d)) for d in os.listdir(os.path.join(dirpath, name))):
                out[os.path.relpath(os.path.join(dirpath, name), root)] = files
    return dict(sorted(out.items()))


_VAL_CACHE = {}


def librispeech_heldout_eer(model, frontend, cfg):
    """Quick validation figure used during training: 3 s segments of the held-out LibriSpeech speakers, K = 1."""
    if 'val' not in _VAL_CACHE:
        _, heldout = librispeech_split(cfg['data'], cfg['seed'])
        _VAL_CACHE['val'] = segment_gallery(heldout, 1, 3.0)
    enrol, probes = _VAL_CACHE['val']
    return score(enrol, probes, Embedder(model, frontend))['eer']


def evaluation_sets(cfg, k, crop):
    """name → (enrol, probes) for every reported evaluation set."""
    d = cfg['data']
    _, libri_heldout = librispeech_split(d, cfg['seed'])
    sets = {
        'librispeech-heldout': segment_gallery(libri_heldout, k, crop),
        'librispeech-heldout-8k-probes': segment_gallery(libri_heldout, k, crop, band_limit_8k),
        'av (GRID + CREMA-D)': file_gallery(leaf_speaker_folders(repo_path(d['av'])), k, crop),
        'asterisk-heldout': file_gallery(asterisk_files(d, 'asterisk_heldout'), k, crop, min_seconds=crop),
        'fsdd': file_gallery(speaker_folders(repo_path(d['fsdd'])), k, crop),
    }
    return sets
