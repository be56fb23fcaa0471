"""Side-by-side timing of the synthetic universe generator (PRODUCT D2) in NumPy.

Implements the same model as `af_data::synthetic` (GARCH(1,1) with 5% 3x shocks, market factor,
common Monday / Friday / month-end effects, OHLC, volume, cap, sentiment, mentions, implied vol)
in two Python styles, and prints wall and CPU seconds for each:

* `loop`: one asset at a time with a Python loop over days, the structure of the source
  documents' generator (what a notebook user writes first);
* `vectorized`: NumPy vectorized across assets, a Python loop over days only (the GARCH
  recursion is sequential in time), the fastest plain-NumPy form.

Run from the repository root (single-threaded BLAS, irrelevant here but kept for comparability):

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench/synthetic_numpy.py --assets 500 --days 2520
    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench/synthetic_numpy.py --assets 5000 --days 2520 --styles vectorized

Compare with `cargo bench -p af-data --bench generate` (CPU time: `/usr/bin/time`). The random
streams differ from the Rust generator's, so only timings compare, not values.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

ALPHA, BETA, P_SHOCK, K_SHOCK = 0.05, 0.90, 0.05, 3.0
M = 1 - P_SHOCK + P_SHOCK * K_SHOCK**2


def calendar(days: int, rng: np.random.Generator):
    idx = pd.bdate_range("2020-01-01", periods=days)
    wd = idx.dayofweek.to_numpy()
    month_end = np.array([pd.offsets.BMonthEnd().is_on_offset(d) for d in idx])
    f = rng.normal(0.0, 0.01, days)
    c = (wd == 0) * rng.normal(-0.001, 0.002, days) + (wd == 4) * rng.normal(0.0005, 0.001, days)
    c = c + month_end * rng.normal(0.002, 0.001, days)
    return idx, f, c


def bars(close_prev, close, sigma, rng):
    """Open, high, low, vwap from the previous and current close (same formulas as Rust)."""
    shape = close.shape
    o = close_prev * np.exp(0.2 * sigma * rng.standard_normal(shape))
    h = np.maximum(o, close) * np.exp(0.5 * sigma * np.abs(rng.standard_normal(shape)))
    lo = np.minimum(o, close) * np.exp(-0.5 * sigma * np.abs(rng.standard_normal(shape)))
    return o, h, lo, (h + lo + close) / 3


def loop_style(assets: int, days: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx, f, c = calendar(days, rng)
    frames = []
    for a in range(assets):
        v, b, p0 = rng.uniform(0.015, 0.035), rng.uniform(0.5, 1.5), rng.uniform(50, 300)
        omega = v * v * (1 - BETA - ALPHA * M)
        sigma = np.empty(days)
        r = np.empty(days)
        s2, eps = v * v, 0.0
        for t in range(days):
            if t > 0:
                s2 = omega + ALPHA * eps * eps + BETA * s2
            sigma[t] = np.sqrt(s2)
            scale = K_SHOCK if rng.random() < P_SHOCK else 1.0
            eps = sigma[t] * scale * rng.standard_normal()
            r[t] = max(b * f[t] + c[t] + eps, -0.99)
        close = p0 * np.cumprod(1 + r)
        prev = np.concatenate([[p0], close[:-1]])
        o, h, lo, vwap = bars(prev, close, sigma, rng)
        size = np.exp(rng.standard_normal())
        frames.append(
            pd.DataFrame(
                {
                    "date": idx,
                    "asset": f"A{a + 1:04d}",
                    "open": o,
                    "high": h,
                    "low": lo,
                    "close": close,
                    "volume": np.round(1e6 * size * (1 + 2 * np.abs(r))),
                    "vwap": vwap,
                    "cap": 2e8 * size * close,
                    "returns": r,
                    "volatility": sigma,
                    "implied_vol": sigma * np.maximum(1 + 0.1 * rng.standard_normal(days), 0),
                    "sentiment": rng.standard_normal(days),
                    "mentions": rng.poisson(100, days).astype(float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def vectorized_style(assets: int, days: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    _, f, c = calendar(days, rng)
    v = rng.uniform(0.015, 0.035, assets)
    b = rng.uniform(0.5, 1.5, assets)
    p0 = rng.uniform(50, 300, assets)
    size = np.exp(rng.standard_normal(assets))
    omega = v * v * (1 - BETA - ALPHA * M)
    sigma = np.empty((days, assets))
    r = np.empty((days, assets))
    s2, eps = v * v, np.zeros(assets)
    for t in range(days):
        if t > 0:
            s2 = omega + ALPHA * eps * eps + BETA * s2
        sigma[t] = np.sqrt(s2)
        scale = np.where(rng.random(assets) < P_SHOCK, K_SHOCK, 1.0)
        eps = sigma[t] * scale * rng.standard_normal(assets)
        r[t] = np.maximum(b * f[t] + c[t] + eps, -0.99)
    close = p0 * np.cumprod(1 + r, axis=0)
    prev = np.vstack([p0, close[:-1]])
    o, h, lo, vwap = bars(prev, close, sigma, rng)
    shape = (days, assets)
    return {
        "open": o,
        "high": h,
        "low": lo,
        "close": close,
        "volume": np.round(1e6 * size * (1 + 2 * np.abs(r))),
        "vwap": vwap,
        "cap": 2e8 * size * close,
        "returns": r,
        "volatility": sigma,
        "implied_vol": sigma * np.maximum(1 + 0.1 * rng.standard_normal(shape), 0),
        "sentiment": rng.standard_normal(shape),
        "mentions": rng.poisson(100, shape).astype(float),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=500)
    ap.add_argument("--days", type=int, default=2520)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--styles", default="loop,vectorized")
    args = ap.parse_args()
    for style in args.styles.split(","):
        fn = {"loop": loop_style, "vectorized": vectorized_style}[style]
        w0, c0 = time.perf_counter(), time.process_time()
        fn(args.assets, args.days, args.seed)
        w1, c1 = time.perf_counter(), time.process_time()
        print(
            f"numpy {np.__version__} pandas {pd.__version__} {style:>10} "
            f"{args.assets}x{args.days}: wall {w1 - w0:.2f} s, cpu {c1 - c0:.2f} s"
        )


if __name__ == "__main__":
    main()
