"""Exports one siamese branch (the encoder) to models/voice-encoder.onnx and writes the parity fixture.

  /usr/bin/python3 models/training/export_onnx.py [--checkpoint models/training/runs/aam-sp/final.pt]
      [--out models/voice-encoder.onnx --fixture test/fixtures/voice/encoder-fixture.json]

Encoder v2 (not yet the kiosk's: its impostor calibration must be measured first, see models/voice-encoder.md):
  /usr/bin/python3 models/training/export_onnx.py --checkpoint <chosen v2 snapshot> \
      --out models/voice-encoder-v2.onnx --fixture test/fixtures/voice/encoder-v2-fixture.json

Input `features` float32 [1, T, 64] (dynamic T: log-mel frames of models/voice-frontend.json), output
`embedding` float32 [1, D] L2-normalised. test/fixtures/voice/encoder-fixture.json holds fixed feature
inputs and torch's embeddings for them; test/voice/encoder-parity.test.ts replays them in onnxruntime-node.
"""
import argparse
import hashlib
import json
import os

import numpy as np
import torch

from frontend import REPO_ROOT, load_frontend_config, logmel_reference
from model import SpeakerEncoder, count_parameters

ONNX_PATH = os.path.join(REPO_ROOT, 'models', 'voice-encoder.onnx')
FIXTURE_PATH = os.path.join(REPO_ROOT, 'test', 'fixtures', 'voice', 'encoder-fixture.json')
OPSET = 17


def fixture_features(cfg):
    """Deterministic speech-like signals (harmonic buzz with vibrato + noise) → log-mel, rounded to 1e-4 so the
    JSON stays small; torch and onnxruntime both read float32(rounded value)."""
    rate = cfg['sampleRate']
    rng = np.random.default_rng(11)
    cases = []
    for name, seconds, f0 in (('buzz-150Hz-1.5s', 1.5, 150.0), ('buzz-220Hz-0.5s', 0.5, 220.0)):
        t = np.arange(int(seconds * rate)) / rate
        phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.03 * np.sin(2 * np.pi * 5 * t))) / rate
        x = sum(np.sin(h * phase) / h for h in range(1, 20)) * 0.1 + rng.normal(0, 0.005, len(t))
        cases.append((name, np.round(logmel_reference(x, cfg), 4).astype(np.float32)))
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', default=os.path.join(REPO_ROOT, 'models/training/runs/aam-sp/final.pt'))
    ap.add_argument('--out', default=ONNX_PATH)
    ap.add_argument('--fixture', default=FIXTURE_PATH)
    args = ap.parse_args()
    onnx_path = os.path.join(REPO_ROOT, args.out) if not os.path.isabs(args.out) else args.out
    fixture_path = os.path.join(REPO_ROOT, args.fixture) if not os.path.isabs(args.fixture) else args.fixture
    ck = torch.load(args.checkpoint)
    model = SpeakerEncoder(**ck['config']['model'])
    model.load_state_dict(ck['model'])
    model.eval()
    cfg = load_frontend_config()

    dummy = torch.zeros(1, 200, cfg['nMels'])
    torch.onnx.export(model, dummy, onnx_path, input_names=['features'], output_names=['embedding'],
                      dynamic_axes={'features': {1: 'frames'}}, opset_version=OPSET, do_constant_folding=True)
    digest = hashlib.sha256(open(onnx_path, 'rb').read()).hexdigest()
    print(f'wrote {onnx_path}: {os.path.getsize(onnx_path)} bytes, sha256 {digest}, '
          f'{count_parameters(model)} params, opset {OPSET}')

    cases = []
    with torch.no_grad():
        for name, feats in fixture_features(cfg):
            emb = model(torch.from_numpy(feats)[None])[0].numpy()
            cases.append({'name': name, 'frames': int(feats.shape[0]), 'mels': int(feats.shape[1]),
                          'features': [round(float(v), 4) for v in feats.ravel()],
                          'embedding': [round(float(v), 7) for v in emb]})
    fixture = {'description': f'Fixed log-mel inputs → embedding computed by torch for '
                              f'{os.path.relpath(onnx_path, REPO_ROOT)}',
               'generator': 'models/training/export_onnx.py', 'onnxSha256': digest,
               'embeddingDim': int(emb.shape[0]), 'cases': cases}
    with open(fixture_path, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, separators=(',', ':'))
    print(f'wrote {fixture_path} ({os.path.getsize(fixture_path)} bytes)')


if __name__ == '__main__':
    main()
