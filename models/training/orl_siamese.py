"""The seed's face experiment, reproduced: a siamese CNN trained with contrastive loss on ORL subjects s1-s35,
evaluated on pairs of the unseen subjects s36-s40. Not shipped in the kiosk.

  /usr/bin/python3 models/training/orl_siamese.py [--orl ../shared/data/faces/orl] [--epochs 20]

Writes models/training/orl-pairs.txt (the exact evaluation pairs, LFW pairs.txt format: header `1 N`, N
same-person lines `name i j`, N different-person lines `name1 i name2 j`, i/j = ORL file numbers) so the face
engine's encoder can be scored on the same pairs, and models/training/results/orl-siamese.json.
Pair accuracy uses the threshold that maximises accuracy on training-subject pairs (no peeking at the test set);
the test-set-optimal accuracy is reported beside it.
"""
import argparse
import itertools
import json
import os
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from losses import contrastive_loss
from metrics import eer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
TRAIN_SUBJECTS = [f's{i}' for i in range(1, 36)]
TEST_SUBJECTS = [f's{i}' for i in range(36, 41)]


def read_pgm(path):
    """Binary (P5) 8-bit PGM → float32 [h, w] in [0, 1]."""
    with open(path, 'rb') as f:
        data = f.read()
    tokens, pos = [], 0
    while len(tokens) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    if tokens[0] != b'P5' or int(tokens[3]) > 255:
        raise ValueError(f'{path}: only 8-bit binary PGM is supported')
    w, h = int(tokens[1]), int(tokens[2])
    return np.frombuffer(data[pos + 1:pos + 1 + w * h], dtype=np.uint8).reshape(h, w).astype(np.float32) / 255


def load_subjects(root, subjects):
    """{subject: tensor [10, 1, 56, 46]} (112x92 halved by 2x2 averaging), keyed images 1..10 in order."""
    out = {}
    for s in subjects:
        imgs = [read_pgm(os.path.join(root, s, f'{i}.pgm')) for i in range(1, 11)]
        x = torch.from_numpy(np.stack(imgs))[:, None]
        out[s] = F.avg_pool2d(x, 2)
    return out


class SiameseBranch(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d((3, 3)))
        self.fc = nn.Linear(32 * 9, dim)

    def forward(self, x):
        x = (x - x.mean(dim=(2, 3), keepdim=True)) / (x.std(dim=(2, 3), keepdim=True) + 1e-5)
        return F.normalize(self.fc(self.features(x).flatten(1)), dim=1)


def jitter(x, rng):
    """Random horizontal flip and shift of up to 3 pixels (faces are roughly centred in ORL)."""
    if rng.random() < 0.5:
        x = x.flip(3)
    dy, dx = rng.integers(-3, 4, size=2)
    return torch.roll(x, shifts=(int(dy), int(dx)), dims=(2, 3))


def random_pairs(subjects, n, rng):
    """n (s1, i, s2, j, same) with half same-subject pairs; i, j are 0-based image indices."""
    pairs = []
    for k in range(n):
        a = subjects[rng.integers(len(subjects))]
        if k % 2 == 0:
            i, j = rng.choice(10, size=2, replace=False)
            pairs.append((a, i, a, j, 1.0))
        else:
            b = subjects[(subjects.index(a) + 1 + rng.integers(len(subjects) - 1)) % len(subjects)]
            pairs.append((a, rng.integers(10), b, rng.integers(10), 0.0))
    return pairs


def evaluation_pairs(rng):
    """Every same-subject pair of s36-s40 (5 x 45 = 225) and as many seeded different-subject pairs."""
    same = [(s, i, s, j) for s in TEST_SUBJECTS for i, j in itertools.combinations(range(1, 11), 2)]
    different = [(a, i, b, j) for a, b in itertools.combinations(TEST_SUBJECTS, 2)
                 for i in range(1, 11) for j in range(1, 11)]
    pick = rng.choice(len(different), size=len(same), replace=False)
    return same, [different[k] for k in sorted(pick)]


def write_pairs_file(path, same, different):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(f'1 {len(same)}\n')
        f.writelines(f'{s}\t{i}\t{j}\n' for s, i, _, j in same)
        f.writelines(f'{a}\t{i}\t{b}\t{j}\n' for a, i, b, j in different)


@torch.no_grad()
def pair_scores(model, images, pairs):
    """Cosine similarity of each (s1, i, s2, j) pair with 1-based ORL indices."""
    model.eval()
    emb = {s: model(x) for s, x in images.items()}
    return np.array([float(emb[a][i - 1] @ emb[b][j - 1]) for a, i, b, j in pairs])


def best_threshold(same_scores, diff_scores):
    cands = np.unique(np.concatenate([same_scores, diff_scores]))
    accs = [((same_scores >= t).sum() + (diff_scores < t).sum()) / (len(same_scores) + len(diff_scores)) for t in cands]
    k = int(np.argmax(accs))
    return float(cands[k]), float(accs[k])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--orl', default=os.path.join(REPO_ROOT, '..', 'shared', 'data', 'faces', 'orl'))
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--pairs-per-epoch', type=int, default=1024)
    ap.add_argument('--margin', type=float, default=1.0)
    ap.add_argument('--seed', type=int, default=36)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(args.seed)
    train_imgs = load_subjects(args.orl, TRAIN_SUBJECTS)
    test_imgs = load_subjects(args.orl, TEST_SUBJECTS)

    model = SiameseBranch()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        pairs = random_pairs(TRAIN_SUBJECTS, args.pairs_per_epoch, rng)
        total = 0.0
        for b in range(0, len(pairs), 64):
            chunk = pairs[b:b + 64]
            xa = torch.cat([jitter(train_imgs[a][i:i + 1], rng) for a, i, _, _, _ in chunk])
            xb = torch.cat([jitter(train_imgs[c][j:j + 1], rng) for _, _, c, j, _ in chunk])
            same = torch.tensor([p[4] for p in chunk])
            loss = contrastive_loss(model(xa), model(xb), same, args.margin)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(chunk)
        sched.step()
        if (epoch + 1) % 5 == 0:
            print(f'epoch {epoch + 1}: loss {total / len(pairs):.4f} ({time.time() - t0:.0f} s)', flush=True)

    same, different = evaluation_pairs(np.random.default_rng(args.seed))
    write_pairs_file(os.path.join(HERE, 'orl-pairs.txt'), same, different)
    # threshold from training-subject pairs (same protocol, disjoint people)
    tr_same, tr_diff = evaluation_pairs_for(TRAIN_SUBJECTS, np.random.default_rng(args.seed + 1))
    threshold, train_acc = best_threshold(pair_scores(model, train_imgs, tr_same), pair_scores(model, train_imgs, tr_diff))
    s_same, s_diff = pair_scores(model, test_imgs, same), pair_scores(model, test_imgs, different)
    acc = float(((s_same >= threshold).sum() + (s_diff < threshold).sum()) / (len(s_same) + len(s_diff)))
    result = {'train_subjects': 's1-s35', 'test_subjects': 's36-s40', 'pairs': {'same': len(same), 'different': len(different)},
              'pair_accuracy_train_threshold': acc, 'threshold': threshold, 'train_pair_accuracy': train_acc,
              'pair_accuracy_oracle_threshold': best_threshold(s_same, s_diff)[1], 'eer': eer(s_same, s_diff),
              'epochs': args.epochs, 'pairs_per_epoch': args.pairs_per_epoch, 'margin': args.margin, 'seed': args.seed,
              'train_seconds': round(time.time() - t0, 1)}
    os.makedirs(os.path.join(HERE, 'results'), exist_ok=True)
    with open(os.path.join(HERE, 'results', 'orl-siamese.json'), 'w', encoding='utf-8') as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


def evaluation_pairs_for(subjects, rng, per_subject=45):
    """Same construction as the test pairs on other subjects: all same pairs, as many random different pairs."""
    same = [(s, i, s, j) for s in subjects for i, j in itertools.combinations(range(1, 11), 2)][: per_subject * len(subjects)]
    different = []
    while len(different) < len(same):
        a, b = rng.choice(len(subjects), size=2, replace=False)
        different.append((subjects[a], int(rng.integers(1, 11)), subjects[b], int(rng.integers(1, 11))))
    return same, different


if __name__ == '__main__':
    main()
