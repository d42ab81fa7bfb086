"""Draws the encoder-v2 speaker split once (seeded) and writes the exact lists into config.json (data.v2) and
models/training/speechocean762-split.json.

  /usr/bin/python3 models/training/make_voice_split.py [--config models/training/config.json]

speechocean762: 40 held-out report speakers (20 adults + 20 children, each half by gender where the corpus
allows) and a separate 20-speaker validation set (10 + 10) used only to choose the recipe and checkpoint; the
other 140 are training speakers. LibriSpeech: v1's 20 held-out speakers stay held out (same seeded draw); 20
more from v1's training pool (≥ 9 s of speech) become validation speakers and are no longer trained on.
The drawn lists are committed; re-running this script reproduces them.
"""
import argparse
import json
import os

import numpy as np
import soundfile as sf

from data import librispeech_split, repo_path

SPLIT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'speechocean762-split.json')


def read_meta(root, name):
    out = {}
    for part in ('train', 'test'):
        with open(os.path.join(root, '_meta', f'{part}_{name}'), encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    k, v = line.split()
                    out[k] = v
    return out


def stratified(rng, groups, per_group):
    """groups: {key: [ids]} → per_group ids from each (sorted), drawn without replacement."""
    picked = []
    for key in sorted(groups):
        pool = sorted(groups[key])
        take = min(per_group, len(pool))
        chosen = rng.choice(pool, size=take, replace=False).tolist()
        picked += chosen
        groups[key] = [s for s in pool if s not in chosen]
    return sorted(picked)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', default=os.path.join(os.path.dirname(__file__), 'config.json'))
    args = ap.parse_args()
    with open(args.config, encoding='utf-8') as f:
        cfg = json.load(f)
    d = cfg['data']
    v2 = d['v2']
    root = repo_path(v2['speechocean'])
    ages = {k: int(v) for k, v in read_meta(root, 'spk2age').items()}
    genders = read_meta(root, 'spk2gender')
    present = sorted(n[len('SPEAKER'):] for n in os.listdir(root) if n.startswith('SPEAKER'))
    rng = np.random.default_rng(cfg['seed'] + 762)
    groups = {}
    for s in present:
        groups.setdefault(('child' if ages[s] < 18 else 'adult', genders[s]), []).append(s)
    heldout = stratified(rng, groups, 10)       # 4 groups × 10 = 40
    validation = stratified(rng, groups, 5)     # 4 groups × 5 = 20
    training = sorted(s for g in groups.values() for s in g)

    libri_train, _ = librispeech_split(d, cfg['seed'])
    long_enough = sorted(s for s, fs in libri_train.items()
                         if sum(sf.info(f).duration for f in fs) >= d['librispeech_heldout']['min_seconds'])
    libri_val = sorted(rng.choice(long_enough, size=20, replace=False).tolist())

    v2['speechocean_heldout'] = heldout
    v2['speechocean_validation'] = validation
    v2['librispeech_validation'] = libri_val
    with open(args.config, 'w', encoding='utf-8') as f:
        json.dump(cfg, f, indent=2)
        f.write('\n')

    def describe(ids):
        return [{'speaker': f'SPEAKER{s}', 'age': ages[s], 'gender': genders[s]} for s in ids]

    split = {
        'description': 'speechocean762 speakers held out from voice encoder v2 (never trained on); '
                       'report sets use "heldout" only, "validation" chose the recipe/checkpoint',
        'generator': 'models/training/make_voice_split.py (seeded; also written to config.json data.v2)',
        'data': v2['speechocean'],
        'heldout': describe(heldout),
        'validation': describe(validation),
        'training_count': len(training),
    }
    with open(SPLIT_PATH, 'w', encoding='utf-8') as f:
        json.dump(split, f, indent=1)
        f.write('\n')
    counts = {k: len(v) for k, v in (('heldout', heldout), ('validation', validation), ('training', training))}
    print(f'speechocean762 {counts}; librispeech validation {libri_val}')


if __name__ == '__main__':
    main()
