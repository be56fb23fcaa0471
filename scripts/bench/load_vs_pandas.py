"""Side-by-side: af-data's loader vs pandas / pyarrow on a 10-million-row long OHLCV file.

Run from the repository root (after `cargo build --release -p af-data --example load`):

    .venv/bin/python scripts/bench/load_vs_pandas.py [--assets 4000] [--days 2500] [--seed 42]

1. Generates (numpy, seeded) `assets x days` rows of date, asset, open, high, low, close,
   volume, sorted by date then asset, and writes them to /tmp/af_bench_long.csv and
   /tmp/af_bench_long.parquet with pyarrow (generation is not timed).
2. Times, each in a fresh process so that peak memory is its own:
   * ours:     `alphafactory` loader (examples/load.rs) -> Panel (dates x assets, 5 fields)
   * pandas:   pd.read_csv(parse_dates=["date"]) + pivot to the same wide layout
   * pyarrow:  pq.read_table(...).to_pandas() + the same pivot
   Peak memory is VmHWM (ours) / ru_maxrss (Python), i.e. the whole process including the
   interpreter and imported libraries.
   CPU seconds (user + system) of each child come from getrusage(RUSAGE_CHILDREN); on a shared
   machine they are steadier than wall time (the Python figure includes interpreter start-up).
3. Prints a table with seconds, CPU seconds, peak MiB and the ratios, and writes it as JSON to
   /tmp/af_bench_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
LOADER = TARGET / "release" / "examples" / "load"
CSV = Path("/tmp/af_bench_long.csv")
PARQUET = Path("/tmp/af_bench_long.parquet")

PANDAS_CHILD = r"""
import json, resource, sys, time
import pandas as pd
import pyarrow.parquet as pq
kind, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if kind == "csv":
    df = pd.read_csv(path, parse_dates=["date"])
else:
    df = pq.read_table(path).to_pandas()
wide = df.pivot(index="date", columns="asset", values=["open", "high", "low", "close", "volume"])
secs = time.perf_counter() - t0
print(json.dumps({"seconds": secs, "rows": len(df), "dates": wide.shape[0],
                  "assets": wide.shape[1] // 5,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(assets: int, days: int, seed: int) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    dates = np.arange(np.datetime64("2015-01-01"), np.datetime64("2015-01-01") + days)
    names = np.array([f"A{i:05d}" for i in range(assets)])
    r = rng.normal(0.0, 0.02, size=(days, assets))
    close = 100.0 * np.exp(np.cumsum(r, axis=0))
    open_ = close * (1 + rng.normal(0, 0.005, size=close.shape))
    high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.003, size=close.shape)))
    low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.003, size=close.shape)))
    volume = rng.integers(10_000, 5_000_000, size=close.shape).astype(np.float64)
    table = pa.table({
        "date": pa.array(np.repeat(dates, assets)),
        "asset": pa.array(np.tile(names, days)),
        "open": open_.ravel().round(4),
        "high": high.ravel().round(4),
        "low": low.ravel().round(4),
        "close": close.ravel().round(4),
        "volume": volume.ravel(),
    })
    pq.write_table(table, PARQUET, compression="snappy")
    pcsv.write_csv(table, CSV)


def run_json(cmd: list[str]) -> dict:
    """Run a child, return its JSON line plus its CPU seconds (user + system, from rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = json.loads(out.strip().splitlines()[-1])
    res["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=4000)
    ap.add_argument("--days", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reuse", action="store_true", help="reuse the files in /tmp if present")
    args = ap.parse_args()
    if not LOADER.exists():
        sys.exit(f"{LOADER} missing: cargo build --release -p af-data --example load")
    if not (args.reuse and CSV.exists() and PARQUET.exists()):
        t = time.perf_counter()
        generate(args.assets, args.days, args.seed)
        print(f"generated {args.assets * args.days:,} rows in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    rows = []
    for kind, path in [("csv", CSV), ("parquet", PARQUET)]:
        ours = run_json([str(LOADER), str(path)])
        peer = run_json([sys.executable, "-c", PANDAS_CHILD, kind, str(path)])
        assert (ours["dates"], ours["assets"]) == (peer["dates"], peer["assets"]), (ours, peer)
        name = "pandas.read_csv + pivot" if kind == "csv" else "pyarrow read_table + to_pandas + pivot"
        rows.append({
            "format": kind, "rows": ours["rows"], "file_mb": path.stat().st_size / 2**20,
            "ours_s": ours["seconds"], "ours_peak_mb": ours["peak_rss_mb"],
            "peer": name, "peer_s": peer["seconds"], "peer_peak_mb": peer["peak_rss_mb"],
            "ours_cpu_s": ours["cpu_s"], "peer_cpu_s": peer["cpu_s"],
            "speedup": peer["seconds"] / ours["seconds"],
            "cpu_ratio": peer["cpu_s"] / ours["cpu_s"],
            "memory_ratio": peer["peak_rss_mb"] / ours["peak_rss_mb"],
        })
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'format':8} {'rows':>11} {'file MiB':>9} {'ours s':>7} {'cpu s':>6} {'MiB':>6} "
          f"{'peer s':>7} {'cpu s':>6} {'MiB':>6} {'wall x':>7} {'cpu x':>6} {'mem x':>6}  peer")
    for r in rows:
        print(f"{r['format']:8} {r['rows']:>11,} {r['file_mb']:>9.0f} {r['ours_s']:>7.2f} "
              f"{r['ours_cpu_s']:>6.2f} {r['ours_peak_mb']:>6.0f} {r['peer_s']:>7.2f} "
              f"{r['peer_cpu_s']:>6.2f} {r['peer_peak_mb']:>6.0f} {r['speedup']:>6.1f}x "
              f"{r['cpu_ratio']:>5.1f}x {r['memory_ratio']:>5.1f}x  {r['peer']}")
    Path("/tmp/af_bench_load.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
