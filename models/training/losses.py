"""Losses: siamese contrastive loss on pairs (baseline) and additive-angular-margin softmax (AAM)."""
import math

import torch
from torch import nn
import torch.nn.functional as F


def contrastive_loss(e1, e2, same, margin):
    """Hadsell et al. 2006 on L2-normalised embeddings: pull same-speaker pairs together,
    push different-speaker pairs at least `margin` apart (Euclidean distance, range [0, 2])."""
    d = (e1 - e2).norm(dim=1)
    return (same * d.pow(2) + (1 - same) * F.relu(margin - d).pow(2)).mean()


class AamSoftmax(nn.Module):
    """ArcFace-style classifier head: logit of the true class is s·cos(θ + m). Used only in training."""

    def __init__(self, embedding_dim, n_classes, scale):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_classes, embedding_dim) * 0.01)
        self.scale = scale

    def forward(self, embeddings, labels, margin):
        cos = F.linear(F.normalize(embeddings, dim=1), F.normalize(self.weight, dim=1)).clamp(-1 + 1e-7, 1 - 1e-7)
        sin = torch.sqrt(1 - cos * cos)
        phi = cos * math.cos(margin) - sin * math.sin(margin)
        # beyond θ = π - m, cos(θ + m) stops decreasing: fall back to a linear penalty (standard ArcFace guard)
        phi = torch.where(cos > math.cos(math.pi - margin), phi, cos - math.sin(math.pi - margin) * margin)
        one_hot = F.one_hot(labels, cos.shape[1]).to(cos.dtype)
        logits = self.scale * (one_hot * phi + (1 - one_hot) * cos)
        return F.cross_entropy(logits, labels), (cos.argmax(dim=1) == labels).float().mean()
