"""EGARCH(1,1,1)-normal, constant mean: af-vol vs Python `arch` 8.0.0 side by side, one core each.

    cargo build --release -p af-vol --example egarch_loop
    .venv/bin/python scripts/bench/egarch_vs_arch.py --n 200

Simulates N series of 2,500 percent returns from the same GARCH(1,1)-t(8) as
`garch_vs_arch.py` (seeded numpy PCG64), fits each with arch (`arch_model(y, vol="EGARCH", p=1,
o=1, q=1, rescale=False).fit(disp="off")`, robust covariance included, BLAS pinned to one
thread; CPU time) and with the `egarch_loop` example (in-process `af_vol::fit` with robust standard
errors; CPU time of the fitting thread, no process start or file parsing), alternating the two `--repeat` times, and prints
fits/s of each, the ratio, and the log-likelihood comparison (share of series where ours >= arch
- 1e-6 |arch|, worst relative difference). The per-run figures are printed so the spread under
load shows.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import arch  # noqa: E402
import numpy as np  # noqa: E402
from arch import arch_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from garch_vs_arch import simulate  # noqa: E402


def fit_arch(cols: list[np.ndarray]) -> tuple[float, np.ndarray]:
    lls = np.empty(len(cols))
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j, y in enumerate(cols):
            res = arch_model(y, mean="Constant", vol="EGARCH", p=1, o=1, q=1, rescale=False).fit(disp="off")
            lls[j] = res.loglikelihood
    return time.process_time() - start, lls


def fit_ours(binary: Path, path: Path) -> tuple[float, np.ndarray]:
    out = subprocess.run([str(binary), "--input", str(path), "se"], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    ms = float(re.search(r"([0-9.]+) ms CPU per fit", lines[-1]).group(1))
    return ms, np.array([float(v) for v in lines[:-1]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--nobs", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--repeat", type=int, default=2)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    ap.add_argument("--binary", type=Path, default=target / "release" / "examples" / "egarch_loop")
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp/egarch_vs_arch"))
    args = ap.parse_args()
    if not args.binary.exists():
        sys.exit(f"{args.binary} not found: cargo build --release -p af-vol --example egarch_loop")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    wide = simulate(args.n, args.nobs, args.seed)
    cols = [wide[c].to_numpy() for c in wide.columns]
    path = args.out_dir / "series.txt"
    path.write_text("\n".join(" ".join(repr(float(v)) for v in y) for y in cols) + "\n")
    print(f"arch {arch.__version__}, numpy {np.__version__}; {args.n} series x {args.nobs} (seed {args.seed})")
    ratios = []
    for r in range(args.repeat):
        t_arch, ll_arch = fit_arch(cols)
        ms_ours, ll_ours = fit_ours(args.binary, path)
        ms_arch = 1e3 * t_arch / args.n
        ratios.append(ms_arch / ms_ours)
        print(f"run {r + 1}: arch {ms_arch:.2f} ms/fit, ours {ms_ours:.3f} ms/fit (CPU both), ratio {ms_arch / ms_ours:.1f}x")
    rel = (ll_ours - ll_arch) / np.abs(ll_arch)
    share = float(np.mean(ll_ours >= ll_arch - 1e-6 * np.abs(ll_arch)))
    print(f"median ratio {np.median(ratios):.1f}x; ours >= arch - 1e-6|ll| on {100 * share:.1f}%; "
          f"worst (ours - arch)/|arch| {rel.min():+.1e}; best {rel.max():+.1e}")


if __name__ == "__main__":
    main()
