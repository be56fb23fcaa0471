"""Side-by-side timing: all 101 formulaic alphas with the pandas reference implementation
(scripts/fixtures/alpha101_reference.py) on a seeded synthetic panel of 500 assets x 2,520 days,
the shape of af-alpha's criterion bench (`cargo bench -p af-alpha --bench alpha101`).

Run:  .venv/bin/python scripts/bench/alpha_vs_peers.py [--assets 500] [--dates 2520] [--only 1,2,3]
Prints the time of each alpha and the total. Peers: polars_ta and KunQuant are not in the pinned
requirements (scripts/requirements-fixtures.txt) and were not installed for this comparison.
"""
import argparse
import pathlib
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "fixtures"))
import alpha101_reference as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=500)
    ap.add_argument("--dates", type=int, default=2520)
    ap.add_argument("--only", type=str, default="")
    args = ap.parse_args()
    long = ref.make_panel(args.dates, args.assets, seed=42, holes=False)
    t0 = time.perf_counter()
    ctx = ref.Ctx(long)
    t_prep = time.perf_counter() - t0
    texts = ref.formulas()
    only = [int(x) for x in args.only.split(",") if x] or list(range(1, 102))
    total = 0.0
    for n in only:
        t = time.perf_counter()
        ref.evaluate(ctx, texts[n - 1])
        dt = time.perf_counter() - t
        total += dt
        print(f"alpha{n:03d}: {dt:7.3f} s", flush=True)
    print(f"pandas reference ({pd.__version__}, numpy {np.__version__}): {len(only)} alphas on "
          f"{args.assets} assets x {args.dates} dates: {total:.1f} s (+ {t_prep:.1f} s pivoting)")


if __name__ == "__main__":
    main()
