"""Log-mel front end shared with the TypeScript kiosk (src-main/core/voice/features.ts).

Every constant comes from models/voice-frontend.json so the two sides cannot drift.
Definition (both sides):
  y[0] = x[0], y[n] = x[n] - preEmphasis * x[n-1]      (pre-emphasis over the whole signal)
  frame t = y[t*hop : t*hop + winLength] * hann_periodic(winLength), zero-padded on the right to nFft
  frames  = 1 + floor((n - winLength) / hop)            (center = false; 0 frames when n < winLength)
  logmel  = ln(max(melFilterbank @ |rfft(frame)|^power, logFloor))
The mel filterbank is HTK-scale triangles without area normalisation (torchaudio norm=None).
`logmel_reference` (float64 numpy) writes the test fixtures; `LogMel` (torch, float32) feeds training.
"""
import json
import math
import os

import numpy as np
import torch

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FRONTEND_JSON = os.path.join(REPO_ROOT, 'models', 'voice-frontend.json')


def load_frontend_config(path=FRONTEND_JSON):
    with open(path, encoding='utf-8') as f:
        cfg = json.load(f)
    if cfg['window'] != 'hann-periodic' or cfg['melScale'] != 'htk' or cfg['center']:
        raise ValueError('front end supports only hann-periodic, htk mel scale, center=false')
    return cfg


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(cfg):
    """[nMels, nFft/2+1] float64 triangular HTK filters."""
    n_bins = cfg['nFft'] // 2 + 1
    bin_hz = np.arange(n_bins, dtype=np.float64) * cfg['sampleRate'] / cfg['nFft']
    edges = mel_to_hz(np.linspace(hz_to_mel(cfg['fMin']), hz_to_mel(cfg['fMax']), cfg['nMels'] + 2))
    fb = np.zeros((cfg['nMels'], n_bins), dtype=np.float64)
    for m in range(cfg['nMels']):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        down = (bin_hz - lo) / (mid - lo)
        up = (hi - bin_hz) / (hi - mid)
        fb[m] = np.maximum(0.0, np.minimum(down, up))
    return fb


def hann_periodic(n):
    return 0.5 - 0.5 * np.cos(2.0 * math.pi * np.arange(n, dtype=np.float64) / n)


def frame_count(n_samples, cfg):
    if n_samples < cfg['winLength']:
        return 0
    return 1 + (n_samples - cfg['winLength']) // cfg['hopLength']


def logmel_reference(pcm, cfg=None):
    """float64 numpy reference: pcm [n] at cfg.sampleRate → [frames, nMels]."""
    cfg = cfg or load_frontend_config()
    x = np.asarray(pcm, dtype=np.float64)
    y = x.copy()
    y[1:] -= cfg['preEmphasis'] * x[:-1]
    t = frame_count(len(y), cfg)
    if t == 0:
        return np.zeros((0, cfg['nMels']), dtype=np.float64)
    idx = np.arange(cfg['winLength'])[None, :] + cfg['hopLength'] * np.arange(t)[:, None]
    frames = y[idx] * hann_periodic(cfg['winLength'])[None, :]
    spec = np.abs(np.fft.rfft(frames, n=cfg['nFft'], axis=1)) ** cfg['power']
    mel = spec @ mel_filterbank(cfg).T
    return np.log(np.maximum(mel, cfg['logFloor']))


class LogMel(torch.nn.Module):
    """Batched float32 torch version of logmel_reference: [B, n] → [B, frames, nMels]."""

    def __init__(self, cfg=None):
        super().__init__()
        self.cfg = cfg or load_frontend_config()
        self.register_buffer('window', torch.tensor(hann_periodic(self.cfg['winLength']), dtype=torch.float32))
        self.register_buffer('fb', torch.tensor(mel_filterbank(self.cfg).T, dtype=torch.float32))

    def forward(self, pcm):
        c = self.cfg
        y = torch.cat([pcm[:, :1], pcm[:, 1:] - c['preEmphasis'] * pcm[:, :-1]], dim=1)
        frames = y.unfold(1, c['winLength'], c['hopLength']) * self.window
        spec = torch.fft.rfft(frames, n=c["nFft"], dim=-1)
        spec = (spec.real.square() + spec.imag.square()).pow(c["power"] / 2)
        return torch.log(torch.clamp(spec @ self.fb, min=c['logFloor']))
