"""Seeded, resumable training of the siamese speaker encoder.

  /usr/bin/python3 models/training/train.py --config models/training/config.json [--run aam|contrastive] [--fresh]

Each run writes models/training/runs/<run>/{checkpoint.pt,final.pt,log.jsonl}. Killing and re-running the same
command resumes from the last checkpoint (model, optimiser, step, every RNG state), so an interrupted run ends
in the same place as an uninterrupted one up to floating-point scheduling noise.
"""
import argparse
import json
import os
import random
import time

import numpy as np
from scipy.signal import resample_poly
import torch

from augment import augment, speed
from data import cached_training_speakers, random_crop, repo_path
from evaluation import librispeech_heldout_eer, validation_eers
from frontend import LogMel
from losses import AamSoftmax, contrastive_loss
from model import SpeakerEncoder, count_parameters

RATE = 16000


def lr_at(step, total, peak, warmup_share=0.05, floor=0.02):
    """Linear warm-up, then cosine decay to floor·peak."""
    warm = max(1, int(total * warmup_share))
    if step < warm:
        return peak * (step + 1) / warm
    t = (step - warm) / max(1, total - warm)
    return peak * (floor + (1 - floor) * 0.5 * (1 + np.cos(np.pi * t)))


class CropMaker:
    """Augmented fixed-length training crops drawn from in-memory speaker streams."""

    def __init__(self, speakers, cfg, rng, crop_seconds):
        self.streams = [s for _, s in speakers]
        self.n = int(crop_seconds * RATE)
        self.aug = cfg['augment']
        self.rng = rng

    def crop(self, spk):
        rng = self.rng
        if rng.random() < self.aug['speed']:
            x = speed(random_crop(self.streams[spk], int(self.n * 1.1), rng), rng)
            x = random_crop(x, self.n, rng)
        else:
            x = random_crop(self.streams[spk], self.n, rng).copy()
        other = (spk + 1 + rng.integers(len(self.streams) - 1)) % len(self.streams)
        return augment(x, rng, self.aug, babble=random_crop(self.streams[other], self.n, rng))

    def batch(self, speaker_ids):
        return torch.from_numpy(np.stack([self.crop(int(s)) for s in speaker_ids]))


def save_atomic(obj, path):
    tmp = path + '.tmp'
    torch.save(obj, tmp)
    os.replace(tmp, path)


def with_speed_classes(speakers, factors):
    """Each speaker again at each speed factor, as a new class: a voice sped up by 10 % is, to the
    encoder, another voice (pitch and formants move), which multiplies the few speakers we have."""
    extra = [(f'{name}-sp{f}', resample_poly(x, 100, int(round(100 * f))).astype(np.float32))
             for f in factors for name, x in speakers]
    return speakers + extra


def train_run(name, run, cfg, speakers, out_dir, fresh):
    os.makedirs(out_dir, exist_ok=True)
    if run.get('speed_classes'):
        speakers = with_speed_classes(speakers, run['speed_classes'])
    ckpt_path = os.path.join(out_dir, 'checkpoint.pt')
    seed = cfg['seed'] + run['seed_offset']
    random.seed(seed)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    frontend = LogMel()
    # a run may change the encoder's size; checkpoints store the merged config, which eval/export read
    cfg = {**cfg, 'model': {**cfg['model'], **run.get('model', {})}}
    model = SpeakerEncoder(**cfg['model'])
    head = AamSoftmax(cfg['model']['embedding_dim'], len(speakers), run['scale']) if run['loss'] == 'aam' else None
    params = list(model.parameters()) + (list(head.parameters()) if head else [])
    opt = torch.optim.Adam(params, lr=run['lr'], weight_decay=run['weight_decay'])
    step, train_seconds = 0, 0.0
    if run.get('init_from') and not (os.path.exists(ckpt_path) and not fresh):
        # second stage (large-margin fine-tuning): start from another run's last state, encoder and AAM head
        src = torch.load(os.path.join(os.path.dirname(out_dir), run['init_from'], 'checkpoint.pt'))
        model.load_state_dict(src['model'])
        head.load_state_dict(src['head'])
        print(f'[{name}] initialised from {run["init_from"]} step {src["step"]}')
    if os.path.exists(ckpt_path) and not fresh:
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck['model'])
        if head:
            head.load_state_dict(ck['head'])
        opt.load_state_dict(ck['optimizer'])
        step, train_seconds = ck['step'], ck['train_seconds']
        rng.bit_generator.state = ck['numpy_rng']
        torch.set_rng_state(ck['torch_rng'])
        random.setstate(ck['python_rng'])
        print(f'[{name}] resumed at step {step} ({train_seconds / 60:.1f} min trained)')
    # a run may override augmentation probabilities (e.g. no per-crop speed change when speed makes new classes)
    crops = CropMaker(speakers, {**cfg, 'augment': {**cfg['augment'], **run.get('augment', {})}}, rng,
                      run.get('crop_seconds', cfg['crop_seconds']))
    log = open(os.path.join(out_dir, 'log.jsonl'), 'a')
    print(f'[{name}] {count_parameters(model)} encoder params, {len(speakers)} training speakers, {run["steps"]} steps')

    def checkpoint():
        save_atomic({'model': model.state_dict(), 'head': head.state_dict() if head else None,
                     'optimizer': opt.state_dict(), 'step': step, 'train_seconds': train_seconds,
                     'numpy_rng': rng.bit_generator.state, 'torch_rng': torch.get_rng_state(),
                     'python_rng': random.getstate(), 'config': cfg, 'run': run}, ckpt_path)

    batch = run['batch']
    while step < run['steps']:
        t0 = time.time()
        model.train()
        for g in opt.param_groups:
            g['lr'] = lr_at(step, run['steps'], run['lr'])
        if run['loss'] == 'aam':
            labels = rng.choice(len(speakers), size=batch, replace=False)
            emb = model(frontend(crops.batch(labels)))
            ramp = run['margin_ramp_share'] * run['steps']
            margin = run['margin'] * (min(1.0, step / ramp) if ramp > 0 else 1.0)
            loss, acc = head(emb, torch.from_numpy(labels), margin)
            extra = {'acc': round(float(acc), 3), 'margin': round(margin, 3)}
        else:
            half = batch // 2
            a = rng.integers(len(speakers), size=half)
            same = rng.random(half) < 0.5
            b = np.where(same, a, (a + 1 + rng.integers(len(speakers) - 1, size=half)) % len(speakers))
            emb = model(frontend(crops.batch(np.concatenate([a, b]))))
            same_t = torch.from_numpy(same.astype(np.float32))
            loss = contrastive_loss(emb[:half], emb[half:], same_t, run['margin'])
            extra = {}
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        train_seconds += time.time() - t0
        record = {'step': step, 'loss': round(float(loss), 4), 'lr': opt.param_groups[0]['lr'],
                  'minutes': round(train_seconds / 60, 2), **extra}
        validating = step % run.get('validate_every', cfg['validate_every']) == 0 or step == run['steps']
        if validating and run.get('data') == 'v2':
            # v2 runs look at their validation split only (never at a report set while training)
            record.update({k: round(v, 4) for k, v in validation_eers(model, frontend, cfg).items()})
            save_atomic({'model': model.state_dict(), 'config': cfg, 'run': run, 'step': step,
                         'train_seconds': train_seconds, 'validation': record},
                        os.path.join(out_dir, f'val-step{step:05d}.pt'))
        elif validating:
            record['val_eer_libri_heldout_3s'] = round(librispeech_heldout_eer(model, frontend, cfg), 4)
        if step % cfg['log_every'] == 0 or validating:
            print(f'[{name}] {json.dumps(record)}', flush=True)
        log.write(json.dumps(record) + '\n')
        log.flush()
        if step % cfg['checkpoint_every'] == 0 or step == run['steps']:
            checkpoint()
    save_atomic({'model': model.state_dict(), 'config': cfg, 'run': run, 'step': step,
                 'train_seconds': train_seconds}, os.path.join(out_dir, 'final.pt'))
    print(f'[{name}] done: {step} steps, {train_seconds / 60:.1f} min')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', default=os.path.join(os.path.dirname(__file__), 'config.json'))
    ap.add_argument('--run', action='append', help='run name(s) from config.runs; default: all')
    ap.add_argument('--fresh', action='store_true', help='ignore existing checkpoints')
    args = ap.parse_args()
    with open(args.config, encoding='utf-8') as f:
        cfg = json.load(f)
    torch.set_num_threads(cfg['threads'])
    loaded = {}
    for name in args.run or list(cfg['runs']):
        run = cfg['runs'][name]
        version = run.get('data', 'v1')  # v1: LibriSpeech + asterisk; v2: + speechocean762, Arabic commands, Debian voices
        if version not in loaded:
            t = time.time()
            loaded[version] = cached_training_speakers(cfg['data'], cfg['seed'], version)
            hours = sum(len(s) for _, s in loaded[version]) / RATE / 3600
            print(f'loaded {len(loaded[version])} training speakers ({version}), {hours:.2f} h of audio '
                  f'in {time.time() - t:.0f} s')
        train_run(name, run, cfg, loaded[version], repo_path(os.path.join(cfg['out_dir'], name)), args.fresh)


if __name__ == '__main__':
    main()
