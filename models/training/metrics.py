"""Verification metrics from genuine and impostor similarity scores."""
import numpy as np


def roc_points(genuine, impostor):
    """(far, frr, threshold) over every distinct score, accepting score >= threshold."""
    g = np.sort(np.asarray(genuine, dtype=np.float64))
    i = np.sort(np.asarray(impostor, dtype=np.float64))
    thresholds = np.unique(np.concatenate([g, i]))
    frr = np.searchsorted(g, thresholds, side='left') / len(g)
    far = 1 - np.searchsorted(i, thresholds, side='left') / len(i)
    return far, frr, thresholds


def eer(genuine, impostor):
    """Equal error rate, interpolated where FAR and FRR cross."""
    far, frr, _ = roc_points(genuine, impostor)
    k = int(np.argmax(far <= frr))  # far falls and frr rises with the threshold
    if k == 0:
        return float((far[0] + frr[0]) / 2)
    f0, r0, f1, r1 = far[k - 1], frr[k - 1], far[k], frr[k]
    denom = (f0 - r0) - (f1 - r1)
    t = (f0 - r0) / denom if denom != 0 else 0.5
    return float(f0 + t * (f1 - f0))


def tar_at_far(genuine, impostor, target_far):
    far, frr, _ = roc_points(genuine, impostor)
    ok = far <= target_far
    return float(1 - frr[ok].min()) if ok.any() else 0.0
