"""Waveform augmentation for speaker-encoder training (numpy, 16 kHz float32, one crop at a time).

Each transform keeps the speaker identity: the encoder must learn the voice, not the room, the
microphone, the level or the telephone channel of a recording.
"""
import numpy as np
from scipy.signal import fftconvolve, resample_poly

RATE = 16000


def speed(x, rng, factors=(0.92, 0.96, 1.04, 1.08)):
    """Resample-based speed change (tempo and pitch move together, a few percent)."""
    f = factors[rng.integers(len(factors))]
    up = 100
    return resample_poly(x, up, int(round(up * f))).astype(np.float32)


def band_limit_8k(x):
    """Telephone-style channel: down to 8 kHz and back, which removes everything above 4 kHz."""
    return resample_poly(resample_poly(x, 1, 2), 2, 1)[: len(x)].astype(np.float32)


def synthetic_rir(rng, rate=RATE):
    """Exponentially decaying noise tail after a direct path: RT60 0.15-0.7 s, random pre-delay."""
    rt60 = rng.uniform(0.15, 0.7)
    n = int(rate * min(rt60, 0.5))
    t = np.arange(n) / rate
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    delay = int(rng.uniform(0.002, 0.01) * rate)
    h = np.zeros(n + 1)
    h[0] = 1.0
    h[1 + delay:] += tail[: n - delay] * rng.uniform(0.1, 0.4)
    return h / np.sqrt(np.sum(h ** 2))


def reverberate(x, rng):
    y = fftconvolve(x, synthetic_rir(rng))[: len(x)]
    return (y * (np.std(x) / (np.std(y) + 1e-9))).astype(np.float32)


def coloured_noise(n, rng):
    """White, pink or brown noise by spectral shaping."""
    exponent = rng.choice([0.0, 1.0, 2.0])
    spec = np.fft.rfft(rng.standard_normal(n))
    freqs = np.maximum(np.arange(len(spec)), 1.0)
    return np.fft.irfft(spec / freqs ** (exponent / 2), n).astype(np.float32)


def add_at_snr(x, noise, snr_db):
    px = np.mean(x ** 2) + 1e-10
    pn = np.mean(noise ** 2) + 1e-10
    return (x + noise * np.sqrt(px / (pn * 10 ** (snr_db / 10)))).astype(np.float32)


def augment(x, rng, p, babble=None):
    """Applies the configured random chain. `babble`: optional other-speaker crop used as noise."""
    if rng.random() < p['reverb']:
        x = reverberate(x, rng)
    if rng.random() < p['noise']:
        if babble is not None and rng.random() < p['babble_share']:
            x = add_at_snr(x, babble[: len(x)], rng.uniform(*p['babble_snr_db']))
        else:
            x = add_at_snr(x, coloured_noise(len(x), rng), rng.uniform(*p['noise_snr_db']))
    if rng.random() < p['band_limit']:
        x = band_limit_8k(x)
    gain = 10 ** (rng.uniform(-p['gain_db'], p['gain_db']) / 20)
    x = x * gain
    peak = np.max(np.abs(x)) + 1e-9
    return (x / peak * 0.99 if peak > 0.99 else x).astype(np.float32)
