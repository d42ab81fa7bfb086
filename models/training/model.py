"""ECAPA-lite speaker encoder: log-mel [B, T, 64] → L2-normalised embedding [B, D].

TDNN front conv (stride 2 in time), three dilated SE-residual blocks, multi-layer feature aggregation, attentive statistics
pooling, linear projection. Per-utterance mean normalisation of the features happens inside the model so
the kiosk feeds raw log-mels. Only ops that export to ONNX opset 17 with a dynamic time axis.
"""
import torch
from torch import nn
import torch.nn.functional as F


class TdnnBlock(nn.Module):
    def __init__(self, cin, cout, kernel, dilation=1, stride=1):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, stride=stride, dilation=dilation, padding=dilation * (kernel - 1) // 2)
        self.bn = nn.BatchNorm1d(cout)

    def forward(self, x):
        return self.bn(F.relu(self.conv(x)))


class SqueezeExcite(nn.Module):
    def __init__(self, channels, bottleneck):
        super().__init__()
        self.down = nn.Linear(channels, bottleneck)
        self.up = nn.Linear(bottleneck, channels)

    def forward(self, x):
        s = torch.sigmoid(self.up(F.relu(self.down(x.mean(dim=2)))))
        return x * s.unsqueeze(2)


class SeResBlock(nn.Module):
    def __init__(self, channels, dilation):
        super().__init__()
        self.dilated = TdnnBlock(channels, channels, 3, dilation)
        self.pointwise = TdnnBlock(channels, channels, 1)
        self.se = SqueezeExcite(channels, channels // 8)

    def forward(self, x):
        return x + self.se(self.pointwise(self.dilated(x)))


class AttentiveStatsPool(nn.Module):
    """Per-channel attention over time → weighted mean and standard deviation."""

    def __init__(self, channels, bottleneck):
        super().__init__()
        self.attn = nn.Sequential(nn.Conv1d(channels, bottleneck, 1), nn.Tanh(), nn.Conv1d(bottleneck, channels, 1))

    def forward(self, x):
        w = torch.softmax(self.attn(x), dim=2)
        mu = (x * w).sum(dim=2)
        var = (x * x * w).sum(dim=2) - mu * mu
        return torch.cat([mu, torch.sqrt(var.clamp(min=1e-5))], dim=1)


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=64, channels=256, mfa_channels=768, attention_bottleneck=128, embedding_dim=192,
                 stem_stride=2):
        super().__init__()
        # stride 2 halves the frame rate (20 ms) for every later layer: half the compute, same receptive field in frames
        self.stem = TdnnBlock(n_mels, channels, 5, stride=stem_stride)
        self.blocks = nn.ModuleList([SeResBlock(channels, d) for d in (2, 3, 4)])
        self.mfa = TdnnBlock(3 * channels, mfa_channels, 1)
        self.pool = AttentiveStatsPool(mfa_channels, attention_bottleneck)
        self.pool_bn = nn.BatchNorm1d(2 * mfa_channels)
        self.fc = nn.Linear(2 * mfa_channels, embedding_dim)

    def forward(self, features):
        x = features - features.mean(dim=1, keepdim=True)  # per-utterance mean normalisation (channel-invariant)
        x = self.stem(x.transpose(1, 2))
        outs = []
        for block in self.blocks:
            x = block(x)
            outs.append(x)
        x = self.mfa(torch.cat(outs, dim=1))
        e = self.fc(self.pool_bn(self.pool(x)))
        return F.normalize(e, dim=1)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
