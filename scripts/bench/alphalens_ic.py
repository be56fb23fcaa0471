"""Side-by-side: daily rank IC at horizons 1, 5, 10, 20 in Python, per alpha.

Compares with `cargo run --release -p af-alpha --example rank_ic_1000` (same shape, same
horizons). Two Python paths on a dates x assets panel of random-walk prices:
  * alphalens-reloaded: get_clean_factor_and_forward_returns + factor_information_coefficient
    (the reference tool; slow: a Python groupby-apply of scipy.spearmanr per date);
  * pandas vectorised: rank both sides per date (DataFrame.rank(axis=1)), then a row-wise
    Pearson of the ranks -- about the fastest plain pandas/numpy formulation.
Reports CPU seconds per alpha (process time, so other jobs on a shared machine do not count).

Run:  .venv/bin/python scripts/bench/alphalens_ic.py [n_dates] [n_assets] [n_alphas_alphalens] [n_alphas_pandas]
"""
import sys
import time
import warnings

import alphalens
import numpy as np
import pandas as pd
from alphalens import performance as perf
from alphalens import utils

HORIZONS = [1, 5, 10, 20]


def panel(n_dates, n_assets, seed=42):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2015-01-01", periods=n_dates)
    assets = [f"A{i:03d}" for i in range(n_assets)]
    prices = 100.0 * np.cumprod(1.0 + 0.02 * rng.standard_normal((n_dates, n_assets)), axis=0)
    return pd.DataFrame(prices, index=dates, columns=assets)


def factor_frame(prices, seed):
    rng = np.random.default_rng(seed)
    fwd1 = prices.pct_change(1).shift(-1).fillna(0.0).to_numpy()
    values = 0.02 * (seed % 7) * 50.0 * fwd1 + rng.standard_normal(prices.shape)
    return pd.DataFrame(values, index=prices.index, columns=prices.columns)


def alphalens_ic(prices, frame):
    factor = frame.stack()
    factor.index.names = ["date", "asset"]
    data = utils.get_clean_factor_and_forward_returns(
        factor, prices, quantiles=5, periods=HORIZONS, filter_zscore=None, max_loss=1.0
    )
    return perf.factor_information_coefficient(data)


def pandas_ic(prices, frame):
    out = {}
    f_rank = frame.rank(axis=1)
    for h in HORIZONS:
        fwd = prices.pct_change(h).shift(-h)
        valid = fwd.notna().all(axis=1)
        r_rank = fwd[valid].rank(axis=1)
        fr = f_rank[valid]
        fc = fr.sub(fr.mean(axis=1), axis=0)
        rc = r_rank.sub(r_rank.mean(axis=1), axis=0)
        out[h] = (fc * rc).sum(axis=1) / np.sqrt((fc * fc).sum(axis=1) * (rc * rc).sum(axis=1))
    return out


def timed(fn, n):
    start = time.process_time()
    for i in range(n):
        fn(i)
    return (time.process_time() - start) / n


def main():
    args = [int(a) for a in sys.argv[1:]]
    n_dates = args[0] if len(args) > 0 else 2520
    n_assets = args[1] if len(args) > 1 else 500
    n_al = args[2] if len(args) > 2 else 1
    n_pd = args[3] if len(args) > 3 else 5
    prices = panel(n_dates + max(HORIZONS), n_assets)
    frames = [factor_frame(prices, 1000 + i) for i in range(max(n_al, n_pd))]
    warnings.simplefilter("ignore")
    per_pd = timed(lambda i: pandas_ic(prices, frames[i]), n_pd)
    print(f"pandas vectorised rank IC: {per_pd * 1e3:.1f} ms CPU per alpha "
          f"({n_dates} dates x {n_assets} assets, horizons {HORIZONS}, pandas {pd.__version__})")
    if n_al > 0:
        per_al = timed(lambda i: alphalens_ic(prices, frames[i]), n_al)
        print(f"alphalens factor_information_coefficient (incl. clean_factor): {per_al:.2f} s CPU per alpha "
              f"(alphalens-reloaded {alphalens.__version__})")


if __name__ == "__main__":
    main()
