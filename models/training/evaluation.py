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
from data import asterisk_files, librispeech_split, librispeech_validation, repo_path, speechocean_files, trim_silence
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
        self.memo = None  # eval.py sets a dict while one set's clips are alive (raw and AS-norm scoring share it)

    def __call__(self, pcm):
        if self.memo is None:
            return self.embed(pcm)
        key = id(pcm)
        if key not in self.memo:
            self.memo[key] = (pcm, self.embed(pcm))  # holding pcm keeps its id from being reused
        return self.memo[key][1]

    @torch.no_grad()
    def embed(self, pcm):
        feats = self.frontend(torch.from_numpy(np.ascontiguousarray(pcm, dtype=np.float32))[None])
        if self.baseline:
            return normalise(feats[0].mean(dim=0).numpy().astype(np.float64))
        self.model.eval()
        return self.model(feats)[0].numpy().astype(np.float64)


KIOSK_THRESHOLD = 0.45  # src-main/core/context/settings.ts voiceThreshold (raw cosine), for the score-scale report


def as_norm_stats(vectors, cohort, top):
    """Mean and std of each vector's `top` highest cosine scores against the cohort (adaptive s-norm)."""
    s = np.sort(vectors @ cohort.T, axis=1)[:, -top:]
    return s.mean(axis=1), s.std(axis=1) + 1e-9


def score(enrol, probes, embed, cohort=None, top=100):
    """enrol: {spk: [pcm]}, probes: [(spk, pcm)] → metrics dict. With `cohort` (unit embeddings of training
    speakers), scores are AS-norm'd: ½((s − μ_e)/σ_e + (s − μ_p)/σ_p) over each side's top-`top` cohort scores."""
    names = sorted(enrol)
    templates = np.stack([normalise(np.mean([embed(x) for x in enrol[s]], axis=0)) for s in names])
    probe_vecs = np.stack([embed(pcm) for _, pcm in probes])
    sims = probe_vecs @ templates.T
    if cohort is not None:
        mu_t, sd_t = as_norm_stats(templates, cohort, top)
        mu_p, sd_p = as_norm_stats(probe_vecs, cohort, top)
        sims = 0.5 * ((sims - mu_t[None]) / sd_t[None] + (sims - mu_p[:, None]) / sd_p[:, None])
    genuine, impostor, hits, counted = [], [], 0, 0
    for i, (spk, _) in enumerate(probes):
        for j, s in enumerate(names):
            (genuine if s == spk else impostor).append(float(sims[i, j]))
        if spk in names:
            counted += 1
            hits += names[int(np.argmax(sims[i]))] == spk
    if not genuine or not impostor:
        return None
    g, im = np.asarray(genuine), np.asarray(impostor)
    return {'eer': eer(genuine, impostor), 'tarAtFar': {'0.01': tar_at_far(genuine, impostor, 0.01),
            '0.001': tar_at_far(genuine, impostor, 0.001)}, 'rank1': hits / max(1, counted),
            'genuine': len(genuine), 'impostor': len(impostor), 'speakers': len(names),
            'scores': {'genuineMedian': float(np.median(g)), 'genuineP10': float(np.percentile(g, 10)),
                       'impostorMedian': float(np.median(im)), 'impostorP99': float(np.percentile(im, 99)),
                       'atKioskThreshold': {'threshold': KIOSK_THRESHOLD,
                                            'frr': float(np.mean(g < KIOSK_THRESHOLD)),
                                            'far': float(np.mean(im >= KIOSK_THRESHOLD))}}}


def cohort_embeddings(speakers, embed, seconds=3.0, per_speaker=3):
    """One unit vector per cohort speaker: the mean of up to `per_speaker` consecutive `seconds` windows
    from the middle of the speaker's training stream."""
    n = int(seconds * TARGET_RATE)
    out = []
    for _, x in speakers:
        mid = max(0, len(x) // 2 - per_speaker * n // 2)
        segs = [x[i:i + n] for i in range(mid, min(len(x), mid + per_speaker * n) - n + 1, n)] or [x]
        out.append(normalise(np.mean([embed(s) for s in segs], axis=0)))
    return np.stack(out)


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


def validation_eers(model, frontend, cfg):
    """The v2 validation split (chooses recipe and checkpoint): 20 speechocean762 + 20 LibriSpeech speakers,
    none trained on and none reported, K = 1, 3 s probes."""
    if 'v2' not in _VAL_CACHE:
        d = cfg['data']
        _VAL_CACHE['v2'] = {
            'val_eer_so762': file_gallery(speechocean_files(d, 'validation'), 1, 3.0),
            'val_eer_libri': segment_gallery(librispeech_validation(d, cfg['seed']), 1, 3.0),
        }
    embed = Embedder(model, frontend)
    out = {name: score(enrol, probes, embed)['eer'] for name, (enrol, probes) in _VAL_CACHE['v2'].items()}
    out['val_eer_mean'] = float(np.mean(list(out.values())))
    return out


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
    if 'v2' in d:
        so = speechocean_files(d, 'heldout')
        sets['speechocean762-heldout'] = file_gallery(so, k, crop)
    return sets
