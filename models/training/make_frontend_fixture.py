"""Writes test/fixtures/voice/logmel-fixture.json: fixed synthetic signals → expected log-mel (float64 reference).

  /usr/bin/python3 models/training/make_frontend_fixture.py

Inputs are stored as 16-bit integers (sample = int / 32768, exact in float32 and float64) so the TypeScript
test feeds bit-identical PCM; expected values are rounded to 1e-6, far below the 1e-4 tolerance.
"""
import json
import os

import numpy as np

from frontend import REPO_ROOT, load_frontend_config, logmel_reference

OUT = os.path.join(REPO_ROOT, 'test', 'fixtures', 'voice', 'logmel-fixture.json')


def signals(rate):
    t = lambda n: np.arange(n) / rate  # noqa: E731
    n1, n2, n3 = 4000, 3850, 4321  # 23, 22 and 25 frames: exercises the frame-count formula
    f0, f1 = 100.0, 7000.0
    chirp = 0.5 * np.sin(2 * np.pi * (f0 * t(n1) + (f1 - f0) / (2 * t(n1)[-1]) * t(n1) ** 2))
    sines = 0.3 * np.sin(2 * np.pi * 440 * t(n2)) + 0.1 * np.sin(2 * np.pi * 3000 * t(n2) + 0.5)
    noise = np.clip(np.random.default_rng(7).normal(0, 0.1, n3), -1, 1)
    return {'chirp-100-7000Hz': chirp, 'sines-440-3000Hz': sines, 'gaussian-noise-seed7': noise}


def main():
    cfg = load_frontend_config()
    cases = []
    for name, x in signals(cfg['sampleRate']).items():
        pcm16 = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int64)
        feats = logmel_reference(pcm16 / 32768.0, cfg)
        cases.append({'name': name, 'pcm16': pcm16.tolist(), 'frames': int(feats.shape[0]), 'mels': int(feats.shape[1]),
                      'logmel': [round(float(v), 6) for v in feats.ravel()]})
    fixture = {'description': 'Expected log-mel of models/training/frontend.py logmel_reference (float64) for the '
                              'shared constants in models/voice-frontend.json; input sample = pcm16 / 32768.',
               'generator': 'models/training/make_frontend_fixture.py', 'frontend': cfg, 'cases': cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'wrote {OUT} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
