"""Rebuilds a torch checkpoint of a committed encoder from its ONNX file (every weight is an ONNX initializer
named after its torch parameter), so that eval.py can score an encoder whose training run is not on this machine.

  /usr/bin/python3 models/training/onnx_to_checkpoint.py --onnx models/voice-encoder.onnx \
      --fixture test/fixtures/voice/encoder-fixture.json --out models/training/runs/v1/final.pt

v1 (aam-sp, sha256 fbe7bfd5…) after v2 replaced it: `git show 44422c9:models/voice-encoder.onnx > /tmp/v1.onnx`
and `git show 44422c9:test/fixtures/voice/encoder-fixture.json > /tmp/v1-fixture.json`.
The rebuilt model is checked against the parity fixture written by export_onnx.py for that file.
"""
import argparse
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import numpy_helper
import torch

from data import repo_path
from model import SpeakerEncoder


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--onnx', required=True)
    ap.add_argument('--fixture', required=True, help="export_onnx.py's parity fixture for the same file")
    ap.add_argument('--config', default=os.path.join(os.path.dirname(__file__), 'config.json'))
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    with open(args.config, encoding='utf-8') as f:
        cfg = json.load(f)
    digest = hashlib.sha256(open(repo_path(args.onnx), 'rb').read()).hexdigest()
    with open(repo_path(args.fixture), encoding='utf-8') as f:
        fixture = json.load(f)
    if fixture['onnxSha256'] != digest:
        raise SystemExit(f'fixture is for {fixture["onnxSha256"]}, the ONNX file is {digest}')
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in onnx.load(repo_path(args.onnx)).graph.initializer}
    conv = weights['stem.conv.weight']
    model_cfg = {**cfg['model'], 'n_mels': conv.shape[1], 'channels': conv.shape[0],
                 'mfa_channels': weights['mfa.conv.weight'].shape[0],
                 'attention_bottleneck': weights['pool.attn.0.weight'].shape[0],
                 'embedding_dim': weights['fc.weight'].shape[0]}
    model = SpeakerEncoder(**model_cfg)
    state = model.state_dict()
    missing = [k for k in state if k not in weights and not k.endswith('num_batches_tracked')]
    if missing:
        raise SystemExit(f'not in the ONNX initializers: {missing}')
    model.load_state_dict({k: weights.get(k, v) for k, v in state.items()})
    model.eval()
    worst = 0.0
    with torch.no_grad():
        for case in fixture['cases']:
            feats = torch.tensor(case['features'], dtype=torch.float32).reshape(1, case['frames'], case['mels'])
            worst = max(worst, float(np.abs(model(feats)[0].numpy() - np.array(case['embedding'])).max()))
    if worst > 1e-5:
        raise SystemExit(f'rebuilt model differs from the fixture by {worst}')
    out = repo_path(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    torch.save({'model': model.state_dict(), 'config': {**cfg, 'model': model_cfg}, 'run': {'onnx': args.onnx},
                'onnx_sha256': digest}, out)
    print(f'{out}: rebuilt from {args.onnx} (sha256 {digest}), max abs diff to the fixture {worst:.1e}')


if __name__ == '__main__':
    main()
