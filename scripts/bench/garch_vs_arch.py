"""Side-by-side benchmark: `alphafactory garch fit-many` vs Python `arch` 8.0.0, one core each.

    cargo build --release -p alphafactory          # the binary under test
    .venv/bin/python scripts/bench/garch_vs_arch.py            # 1,000 series (slow: arch side)
    .venv/bin/python scripts/bench/garch_vs_arch.py --n 200    # a quick subset

What it does:
1. simulates (seeded, numpy PCG64) N series of 2,500 percent returns from a known constant-mean
   GARCH(1,1): r_t = mu + e_t, e_t = sigma_t z_t, sigma2_t = omega + alpha e2_{t-1} + beta sigma2_{t-1},
   (mu, omega, alpha, beta) = (0.05, 0.02, 0.08, 0.90), z_t standardized Student's t(8), 500
   burn-in steps dropped; written as one wide Parquet file (one column per series);
2. fits every series with arch (`arch_model(y, vol=..., dist=..., rescale=False).fit(disp="off")`,
   timed per series with BLAS/OpenMP pinned to one thread) and with
   `alphafactory garch fit-many --threads 1` (timed end to end: process start, reading the file,
   all fits, writing the output), for GARCH(1,1)-normal, GARCH(1,1)-t, GARCH(1,1)-skewt and
   EGARCH(1,1,1)-normal. Like with like: both sides compute what one `fit-many` row holds —
   the fit with standard errors (arch always computes its covariance), the one-step variance
   forecast, and the one-day VaR and ES at 1%, 5% and 10% from the fitted distribution (arch:
   `res.forecast(horizon=1)`, `distribution.ppf`, and the tail mean `partial_moment(1, q)/alpha`);
   `--fit-only` times arch's fit alone (the comparison before 2026-11-22, which left arch's side
   without forecasts, VaR and ES);
3. prints fits/s per core of each, the speed ratio (wall) and the ratio of CPU times (arch's
   `process_time`, the child's rusage: robust to other load on the machine), and the
   log-likelihood comparison: the share
   of series where ours >= arch - 1e-6 |arch| (never a worse optimum) and the worst relative
   difference (ours - arch) / |arch|; and the largest relative difference of the 1% VaR between
   the two (the estimates differ slightly, so this is a sanity check, not an exactness test).
Results also go to OUT_DIR/results.json.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import arch  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from arch import arch_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRUE = {"mu": 0.05, "omega": 0.02, "alpha": 0.08, "beta": 0.90, "nu": 8.0}
# key -> (label, arch kwargs, alphafactory flags)
MODELS = {
    "normal": ("GARCH(1,1)-normal", {"vol": "GARCH", "p": 1, "o": 0, "q": 1, "dist": "normal"}, ["--vol", "garch", "--dist", "normal"]),
    "t": ("GARCH(1,1)-t", {"vol": "GARCH", "p": 1, "o": 0, "q": 1, "dist": "t"}, ["--vol", "garch", "--dist", "t"]),
    "skewt": ("GARCH(1,1)-skewt", {"vol": "GARCH", "p": 1, "o": 0, "q": 1, "dist": "skewt"}, ["--vol", "garch", "--dist", "skewt"]),
    "egarch": ("EGARCH(1,1,1)-normal", {"vol": "EGARCH", "p": 1, "o": 1, "q": 1, "dist": "normal"}, ["--vol", "egarch", "--o", "1", "--dist", "normal"]),
}


def simulate(n_series: int, nobs: int, seed: int, burn: int = 500) -> pd.DataFrame:
    """N independent GARCH(1,1) paths with standardized t(nu) shocks, vectorized over series."""
    rng = np.random.Generator(np.random.PCG64(seed))
    nu = TRUE["nu"]
    z = rng.standard_t(nu, size=(nobs + burn, n_series)) / np.sqrt(nu / (nu - 2.0))
    omega, alpha, beta = TRUE["omega"], TRUE["alpha"], TRUE["beta"]
    sigma2 = np.full(n_series, omega / (1.0 - alpha - beta))
    eps = np.empty_like(z)
    for t in range(nobs + burn):
        eps[t] = np.sqrt(sigma2) * z[t]
        sigma2 = omega + alpha * eps[t] ** 2 + beta * sigma2
    returns = TRUE["mu"] + eps[burn:]
    return pd.DataFrame(returns, columns=[f"s{i:04d}" for i in range(n_series)])


LEVELS = np.array([0.01, 0.05, 0.1])  # fit-many's default --var-levels


def arch_risk(res) -> tuple[np.ndarray, np.ndarray]:
    """One-day VaR and ES at LEVELS (positive losses) from arch's own forecast and distribution."""
    fc = res.forecast(horizon=1, reindex=False)
    mu, sd = fc.mean.values[-1, 0], np.sqrt(fc.variance.values[-1, 0])
    dist = res.model.distribution
    shape = res.params.values[len(res.params) - dist.num_params:]
    q = dist.ppf(LEVELS, shape)
    tail = np.array([dist.partial_moment(1, qa, shape) / a for qa, a in zip(q, LEVELS)])
    return -(mu + sd * q), -(mu + sd * tail)


def fit_arch(wide: pd.DataFrame, kwargs: dict, fit_only: bool) -> tuple[float, float, np.ndarray, np.ndarray]:
    """(wall seconds, CPU seconds of this process, log-likelihoods, 1% VaR or NaN)."""
    lls = np.empty(wide.shape[1])
    var1 = np.full(wide.shape[1], np.nan)
    start, cpu0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j, col in enumerate(wide.columns):
            res = arch_model(wide[col].to_numpy(), mean="Constant", rescale=False, **kwargs).fit(disp="off")
            lls[j] = res.loglikelihood
            if not fit_only:
                var, _es = arch_risk(res)
                var1[j] = var[0]
    return time.perf_counter() - start, time.process_time() - cpu0, lls, var1


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def fit_ours(binary: Path, wide_path: Path, flags: list[str], out: Path, names: list[str]) -> tuple[float, float, np.ndarray, np.ndarray, int]:
    """(wall seconds, CPU seconds of the child, log-likelihoods, 1% VaR, failures)."""
    cmd = [str(binary), "garch", "fit-many", "--input", str(wide_path), "--mean", "constant", *flags,
           "--threads", "1", "--output", str(out)]
    start, cpu0 = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - start, children_cpu() - cpu0
    if done.returncode != 0:
        sys.exit(f"alphafactory failed ({done.returncode}): {done.stderr.strip()}")
    by_name = {}
    failed = 0
    for line in out.read_text().splitlines():
        row = json.loads(line)
        if "error" in row:
            failed += 1
            by_name[row["series"]] = (np.nan, np.nan)
        else:
            by_name[row["series"]] = (row["loglikelihood"], row["var"]["0.01"])
    got = np.array([by_name.get(n, (np.nan, np.nan)) for n in names])
    return elapsed, cpu, got[:, 0], got[:, 1], failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of series (default 1000)")
    ap.add_argument("--nobs", type=int, default=2500, help="returns per series (default 2500)")
    ap.add_argument("--seed", type=int, default=20261122, help="simulation seed")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of: " + ", ".join(f"{k} ({v[0]})" for k, v in MODELS.items()))
    ap.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "alphafactory",
                    help="alphafactory binary (default target/release/alphafactory; "
                         "honours CARGO_TARGET_DIR when that is set)")
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp/garch_vs_arch"))
    ap.add_argument("--fit-only", action="store_true",
                    help="time arch's fit alone, without the forecast, VaR and ES our rows hold")
    args = ap.parse_args()
    if "CARGO_TARGET_DIR" in os.environ and args.binary == ROOT / "target" / "release" / "alphafactory":
        args.binary = Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "alphafactory"
    if not args.binary.exists():
        sys.exit(f"{args.binary} not found: build it with `cargo build --release -p alphafactory` or pass --binary")
    args.out_dir.mkdir(parents=True, exist_ok=True)

    wide = simulate(args.n, args.nobs, args.seed)
    wide_path = args.out_dir / f"sim_{args.n}x{args.nobs}_seed{args.seed}.parquet"
    wide.to_parquet(wide_path, index=False)
    names = list(wide.columns)
    side = "fit + s.e. only" if args.fit_only else "fit + s.e. + 1-step forecast + VaR/ES at 1/5/10%"
    print(f"arch {arch.__version__}, numpy {np.__version__}; {args.n} series x {args.nobs} obs "
          f"(seed {args.seed}); one thread each; arch side: {side}\n")

    results = []
    header = ("| model | series | arch fits/s | alphafactory fits/s | speed-up | CPU speed-up | "
              "ours >= arch - 1e-6|ll| | worst (ours-arch)/|arch| | max |VaR1% rel diff| | failed (ours) |")
    print(header)
    print("|" + "---|" * 10)
    for key in [m.strip() for m in args.models.split(",") if m.strip()]:
        if key not in MODELS:
            sys.exit(f"--models: unknown model {key!r}; choose from {', '.join(MODELS)}")
        label, kwargs, flags = MODELS[key]
        t_arch, cpu_arch, ll_arch, var_arch = fit_arch(wide, kwargs, args.fit_only)
        out = args.out_dir / f"ours_{key}.jsonl"
        t_ours, cpu_ours, ll_ours, var_ours, failed = fit_ours(args.binary, wide_path, flags, out, names)
        var_rel = np.abs(var_ours - var_arch) / np.abs(var_arch)
        var_worst = float(np.nanmax(var_rel)) if np.isfinite(var_rel).any() else float("nan")
        ok = np.isfinite(ll_ours)
        rel = (ll_ours - ll_arch) / np.abs(ll_arch)
        share = float(np.mean(ok & (ll_ours >= ll_arch - 1e-6 * np.abs(ll_arch))))
        worst = float(np.nanmin(rel)) if ok.any() else float("nan")
        row = {
            "model": label, "series": args.n, "nobs": args.nobs,
            "arch_seconds": t_arch, "ours_seconds": t_ours,
            "arch_fits_per_s": args.n / t_arch, "ours_fits_per_s": args.n / t_ours,
            "speedup": t_arch / t_ours, "arch_cpu_seconds": cpu_arch, "ours_cpu_seconds": cpu_ours,
            "cpu_speedup": cpu_arch / cpu_ours, "share_not_worse": share, "worst_rel_ll_diff": worst,
            "ours_failed": failed, "arch_side": side, "max_rel_var1_diff": var_worst,
        }
        results.append(row)
        print(f"| {label} | {args.n} | {row['arch_fits_per_s']:.1f} | {row['ours_fits_per_s']:.1f} | "
              f"{row['speedup']:.1f}x | {row['cpu_speedup']:.1f}x | {100 * share:.1f}% | {worst:+.1e} | {var_worst:.1e} | {failed} |",
              flush=True)
    meta = {"tool": "arch", "version": arch.__version__, "numpy": np.__version__, "seed": args.seed,
            "true_params": TRUE, "command": " ".join(sys.argv)}
    (args.out_dir / "results.json").write_text(json.dumps({"metadata": meta, "results": results}, indent=1))


if __name__ == "__main__":
    main()
