"""Speaker-verification EER of trained encoders (and the mean-log-mel baseline) on every evaluation set.

  /usr/bin/python3 models/training/eval.py --config models/training/config.json \
      --checkpoint models/training/runs/aam/final.pt --checkpoint models/training/runs/aam-lmft/final.pt \
      --checkpoint models/training/runs/contrastive/final.pt \
      --k 1 --k 3 --crop 3 --out models/training/results/voice-eval.json

None of these speakers is trained on (LibriSpeech held-out speakers, held-out asterisk voices, GRID, CREMA-D, FSDD).
"""
import argparse
import json
import os
import time

import torch

from data import cached_training_speakers, repo_path
from evaluation import Embedder, cohort_embeddings, evaluation_sets, score
from frontend import LogMel
from model import SpeakerEncoder


def load_encoder(path):
    ck = torch.load(path)
    model = SpeakerEncoder(**ck['config']['model'])
    model.load_state_dict(ck['model'])
    model.eval()
    return model, ck


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', default=os.path.join(os.path.dirname(__file__), 'config.json'))
    ap.add_argument('--checkpoint', action='append', required=True)
    ap.add_argument('--k', type=int, action='append', help='enrolment files per speaker (default 1)')
    ap.add_argument('--crop', type=float, default=3.0, help='probe length in seconds (0 = whole file)')
    ap.add_argument('--asnorm', type=int, default=0, metavar='TOP',
                    help='also score each encoder with AS-norm (top-TOP cohort scores) against its embeddings of the '
                         'v2 training speakers (evaluation only: the kiosk scores raw cosine)')
    ap.add_argument('--out')
    args = ap.parse_args()
    with open(args.config, encoding='utf-8') as f:
        cfg = json.load(f)
    torch.set_num_threads(cfg['threads'])
    frontend = LogMel()
    embedders = {'baseline-mean-logmel': Embedder(None, frontend, baseline=True)}
    for path in args.checkpoint:
        model, _ = load_encoder(path)
        embedders[os.path.basename(os.path.dirname(path))] = Embedder(model, frontend)  # the run's name
    cohorts = {}
    if args.asnorm:
        speakers = cached_training_speakers(cfg['data'], cfg['seed'], 'v2')
        cohorts = {who: cohort_embeddings(speakers, e) for who, e in embedders.items() if not e.baseline}
        print(f'AS-norm cohort: {len(speakers)} v2 training speakers, top {args.asnorm}')
    results = {'crop_seconds': args.crop, 'checkpoints': args.checkpoint, 'asnorm_top': args.asnorm, 'by_k': {}}
    for k in args.k or [1]:
        t = time.time()
        results['by_k'][str(k)] = by_set = {}
        for name, (enrol, probes) in evaluation_sets(cfg, k, args.crop).items():
            for embed in embedders.values():
                embed.memo = {}
            by_set[name] = {who: score(enrol, probes, embed) for who, embed in embedders.items()}
            for who, cohort in cohorts.items():
                by_set[name][f'{who}+asnorm'] = score(enrol, probes, embedders[who], cohort, args.asnorm)
            for embed in embedders.values():
                embed.memo = None
            row = ' | '.join(f'{who} {m["eer"] * 100:5.1f}%' if m else f'{who} n/a' for who, m in by_set[name].items())
            some = next((m for m in by_set[name].values() if m), None)
            counts = f'{some["genuine"]} genuine / {some["impostor"]} impostor' if some else 'no trials'
            print(f'K={k} crop={args.crop}s {name:32s} EER: {row}  ({counts})', flush=True)
        print(f'K={k} done in {time.time() - t:.0f} s')
    if args.out:
        out = repo_path(args.out)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, 'w', encoding='utf-8') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
