"""Side-by-side benchmark: af-portfolio (Rust) vs cvxpy / PyPortfolioOpt / scikit-learn / numpy.

    .venv/bin/python scripts/bench/portfolio_vs_peers.py                 # defaults below
    .venv/bin/python scripts/bench/portfolio_vs_peers.py --max-solves 60 --pypfopt-solves 5 --repeats 3

It builds `cargo build --release -p af-portfolio --example bench_portfolio` (CARGO_TARGET_DIR
honoured), writes ONE seeded data set to --dir (default /tmp/af_pbench) and times both sides on
it, one core each (BLAS/OpenMP pinned to 1 thread here; the Rust example is single threaded),
back to back, --repeats times, reporting the median. Data (numpy PCG64, --seed):
  * asset returns, 2,520 days x 500 assets: r = 0.8 m_t + s_{sector,t} + e_{a,t} + d_a with
    m ~ N(0, 0.01), s ~ N(0, 0.006), e ~ N(0, 0.015), drift d_a ~ N(2e-4, 3e-4); sector = a % 10;
  * 1,000 alpha return series of 253 periods (column 0 most recent): 0.5 c_t + N(3e-4, 0.01);
  * backtest targets, 2,520 x 500 long-only weights (uniform, normalised to sum 1 each day).
Files are raw little-endian f64, column-major by asset (asset a, day t at a * n_days + t), plus
config.json with every parameter. Workloads:
  1. rebalance: on days t = 252 + k * every (k < max-solves; every = 1: consecutive trading days,
     the daily rebalance), mu = mean of r[t-252 : t-21]
     (12-1 momentum), Sigma = Ledoit-Wolf of r[t-252 : t] refreshed every 21 days, solve
     max mu'w - lam w'Sigma w - gamma |w - w_prev|_1, sum w = 1, 0 <= w <= 5 %, each sector's
     sum <= 30 %, w_prev = previous solution (1/n at start). cvxpy: one Problem per covariance
     refresh with mu and w_prev as Parameters (canonicalisation reused inside a month), Clarabel,
     tol_gap_abs = tol_gap_rel = tol_feas = 1e-8 (Clarabel's defaults, as in af-portfolio);
     the covariance goes in through cp.psd_wrap (cvxpy's ARPACK PSD check fails to converge on it).
     PyPortfolioOpt: EfficientFrontier(weight_bounds=(0, 0.05), solver CLARABEL) +
     transaction_cost(k = gamma) + per-sector constraints + max_quadratic_utility(2 lam), first
     --pypfopt-solves solves only (it rebuilds the problem every call). af-portfolio uses one
     `Rebalancer` across the days: the fast path's factorization of 2 lam Sigma + rho I + rho A'A
     is reused while Sigma is unchanged and ADMM starts from yesterday's iterate; every answer is
     KKT-verified (or comes from Clarabel). Timed on both sides: the whole loop (covariance
     refreshes, mu, problem set-up, solves); the 2,520-day figure extrapolates the mean per
     solve to the 2,268 rebalances of days 252..2,519.
  2. combination of 1,000 alphas: Kakushadze-Yu (numpy reference from scripts/fixtures/
     kakushadze_yu.py), Ledoit-Wolf of the 252 x 1,000 alpha returns (scikit-learn LedoitWolf),
     long-only mean-variance over 1,000 alphas (budget 1, max 5 %, lam = 10) in cvxpy.
  3. backtest accounting of 500 x 2,520 with 10 bp costs, lag 1, daily rebalance, vs numpy.
vectorbt 1.2.0 is not used: installing it upgrades numpy to 2.4 and pandas to 3.1 (pins broken).
Results go to DIR/results.json and a markdown table on stdout.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import cvxpy as cp  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.covariance import LedoitWolf  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts/fixtures"))
from kakushadze_yu import weights as ky_weights  # noqa: E402

N_DAYS, N_ASSETS, N_SECTORS, WINDOW, SKIP, REFRESH = 2520, 500, 10, 252, 21, 21
LAM, GAMMA, MAX_POS, SECTOR_CAP = 10.0, 2e-4, 0.05, 0.30
N_ALPHAS, ALPHA_PERIODS, COST_BPS = 1000, 253, 10.0
TOL = {"tol_gap_abs": 1e-8, "tol_gap_rel": 1e-8, "tol_feas": 1e-8}


def write_data(d: Path, seed: int, every: int, max_solves: int) -> dict:
    rng = np.random.Generator(np.random.PCG64(seed))
    sectors = np.arange(N_ASSETS) % N_SECTORS
    m = rng.normal(0, 0.01, N_DAYS)
    s = rng.normal(0, 0.006, (N_DAYS, N_SECTORS))
    drift = rng.normal(2e-4, 3e-4, N_ASSETS)
    r = 0.8 * m[:, None] + s[:, sectors] + rng.normal(0, 0.015, (N_DAYS, N_ASSETS)) + drift
    common = rng.normal(0, 0.01, ALPHA_PERIODS)
    alphas = 0.5 * common[None, :] + rng.normal(3e-4, 0.01, (N_ALPHAS, ALPHA_PERIODS))
    targets = rng.uniform(0, 1, (N_DAYS, N_ASSETS))
    targets /= targets.sum(axis=1, keepdims=True)
    d.mkdir(parents=True, exist_ok=True)
    # column-major by asset: transpose (days x assets) so each asset's days are contiguous
    np.ascontiguousarray(r.T, dtype="<f8").tofile(d / "returns.bin")
    np.ascontiguousarray(targets.T, dtype="<f8").tofile(d / "targets.bin")
    np.ascontiguousarray(alphas.T, dtype="<f8").tofile(d / "alphas.bin")  # alpha i, period s at s * N + i
    days = [WINDOW + k * every for k in range(max_solves) if WINDOW + k * every < N_DAYS]
    cfg = {"n_days": N_DAYS, "n_assets": N_ASSETS, "sectors": sectors.tolist(), "window": WINDOW,
           "skip": SKIP, "refresh": REFRESH, "risk_aversion": LAM, "turnover_penalty": GAMMA,
           "max_position": MAX_POS, "sector_cap": SECTOR_CAP, "solve_days": days,
           "n_alphas": N_ALPHAS, "alpha_periods": ALPHA_PERIODS, "cost_bps": COST_BPS, "seed": seed}
    (d / "config.json").write_text(json.dumps(cfg))
    return {"r": r, "targets": targets, "alphas": alphas, "sectors": sectors, "cfg": cfg}


def lw(x: np.ndarray) -> np.ndarray:
    return LedoitWolf().fit(x).covariance_


def objective(mu, cov, w, prev):
    return float(mu @ w - LAM * w @ cov @ w - GAMMA * np.abs(w - prev).sum())


def rebalance_cvxpy(data: dict) -> dict:
    r, sectors, days = data["r"], data["sectors"], data["cfg"]["solve_days"]
    n = N_ASSETS
    prev = np.full(n, 1.0 / n)
    objs, solve_s, refresh_at, prob = [], [], None, None
    t0 = time.perf_counter()
    for t in days:
        ref = WINDOW + (t - WINDOW) // REFRESH * REFRESH
        if ref != refresh_at:
            cov = lw(r[ref - WINDOW : ref])
            w = cp.Variable(n)
            mu_p, prev_p = cp.Parameter(n), cp.Parameter(n)
            cons = [cp.sum(w) == 1, w >= 0, w <= MAX_POS]
            cons += [cp.sum(w[sectors == k]) <= SECTOR_CAP for k in range(N_SECTORS)]
            obj = mu_p @ w - LAM * cp.quad_form(w, cp.psd_wrap(cov)) - GAMMA * cp.norm1(w - prev_p)
            prob = cp.Problem(cp.Maximize(obj), cons)
            refresh_at = ref
        mu = r[t - WINDOW : t - SKIP].mean(axis=0)
        mu_p.value, prev_p.value = mu, prev
        s0 = time.perf_counter()
        prob.solve(solver=cp.CLARABEL, **TOL)
        solve_s.append(time.perf_counter() - s0)
        wv = np.asarray(w.value)
        objs.append(objective(mu, cov, wv, prev))
        prev = wv
    return {"total_s": time.perf_counter() - t0, "solve_s": solve_s, "objectives": objs}


def same_problem_check(data: dict, rust_w: list, rust_obj: list, k: int) -> dict:
    """Each side chains its own w_prev, so later days are slightly different problems. Re-solve
    the first k days in cvxpy with af-portfolio's w_prev and compare objectives there."""
    r, sectors, days = data["r"], data["sectors"], data["cfg"]["solve_days"][:k]
    n = N_ASSETS
    diffs, refresh_at = [], None
    for d, t in enumerate(days):
        ref = WINDOW + (t - WINDOW) // REFRESH * REFRESH
        if ref != refresh_at:
            cov, refresh_at = lw(r[ref - WINDOW : ref]), ref
        prev = np.full(n, 1.0 / n) if d == 0 else np.asarray(rust_w[d - 1])
        mu = r[t - WINDOW : t - SKIP].mean(axis=0)
        w = cp.Variable(n)
        cons = [cp.sum(w) == 1, w >= 0, w <= MAX_POS]
        cons += [cp.sum(w[sectors == s]) <= SECTOR_CAP for s in range(N_SECTORS)]
        obj = mu @ w - LAM * cp.quad_form(w, cp.psd_wrap(cov)) - GAMMA * cp.norm1(w - prev)
        cp.Problem(cp.Maximize(obj), cons).solve(solver=cp.CLARABEL, **TOL)
        wv = np.asarray(w.value)
        diffs.append(rust_obj[d] - objective(mu, cov, wv, prev))
    return {"days": len(diffs), "min_ours_minus_cvxpy": float(min(diffs)),
            "max_abs_diff": float(np.abs(diffs).max())}


def rebalance_pypfopt(data: dict, k_solves: int) -> dict:
    from pypfopt import EfficientFrontier, objective_functions

    r, sectors, days = data["r"], data["sectors"], data["cfg"]["solve_days"][:k_solves]
    n = N_ASSETS
    prev = np.full(n, 1.0 / n)
    objs, refresh_at = [], None
    t0 = time.perf_counter()
    for t in days:
        ref = WINDOW + (t - WINDOW) // REFRESH * REFRESH
        if ref != refresh_at:
            cov, refresh_at = lw(r[ref - WINDOW : ref]), ref
        mu = r[t - WINDOW : t - SKIP].mean(axis=0)
        ef = EfficientFrontier(mu, cov, weight_bounds=(0, MAX_POS), solver="CLARABEL",
                               solver_options=TOL)
        ef.add_objective(objective_functions.transaction_cost, w_prev=prev, k=GAMMA)
        for k in range(N_SECTORS):  # what add_sector_constraints adds
            ef.add_constraint(lambda w, mask=(sectors == k): cp.sum(w[mask]) <= SECTOR_CAP)
        ef.max_quadratic_utility(risk_aversion=2 * LAM)
        wv = np.asarray(ef.weights, dtype=float)
        objs.append(objective(mu, cov, wv, prev))
        prev = wv
    return {"total_s": time.perf_counter() - t0, "n": len(days), "objectives": objs}


def combine_1000(data: dict) -> dict:
    a = data["alphas"]  # N x (M+1), column 0 most recent
    e = a[:, :21].mean(axis=1)
    t0 = time.perf_counter()
    w = ky_weights(a, e)
    ky_s = time.perf_counter() - t0
    x = a[:, :WINDOW].T  # 252 observations x 1,000 alphas
    t0 = time.perf_counter()
    est = LedoitWolf().fit(x)
    lw_s = time.perf_counter() - t0
    mu = a[:, :WINDOW].mean(axis=1)
    t0 = time.perf_counter()
    wv = cp.Variable(N_ALPHAS)
    prob = cp.Problem(cp.Maximize(mu @ wv - LAM * cp.quad_form(wv, cp.psd_wrap(est.covariance_))),
                      [cp.sum(wv) == 1, wv >= 0, wv <= MAX_POS])
    prob.solve(solver=cp.CLARABEL, **TOL)
    mv_s = time.perf_counter() - t0
    wmv = np.asarray(wv.value)
    mv_obj = float(mu @ wmv - LAM * wmv @ est.covariance_ @ wmv)
    return {"ky_s": ky_s, "lw_s": lw_s, "mv_s": mv_s, "ky_w": w, "lw_cov": est.covariance_,
            "lw_shrinkage": float(est.shrinkage_), "mv_objective": mv_obj}


def backtest_numpy(data: dict) -> dict:
    """The af-portfolio accounting (lag 1, daily): holdings h_t = targets_{t-2}, drifted by r."""
    r, tg = data["r"], data["targets"]
    t0 = time.perf_counter()
    h = np.zeros_like(tg)
    h[2:] = tg[:-2]
    gross = (h * r).sum(axis=1)
    drift = np.zeros_like(h)
    drift[1:] = h[:-1] * (1 + r[:-1]) / (1 + gross[:-1])[:, None]
    turnover = np.abs(h - drift).sum(axis=1)
    net = gross - turnover * COST_BPS / 1e4
    ann = 252.0
    cum = np.cumprod(1 + net)
    dd = (cum / np.maximum.accumulate(np.concatenate([[1.0], cum]))[1:] - 1).min()
    _metrics = (cum[-1] ** (ann / len(net)) - 1, net.std(ddof=1) * np.sqrt(ann),
                net.mean() / net.std(ddof=1) * np.sqrt(ann), dd)
    return {"total_s": time.perf_counter() - t0, "net": net}


def run_rust(d: Path) -> dict:
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    exe = Path(target) / "release/examples/bench_portfolio"
    out = subprocess.run([str(exe), str(d)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def med(xs):
    return statistics.median(xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/af_pbench"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--every", type=int, default=1, help="solve every k-th day (1 = daily)")
    ap.add_argument("--max-solves", type=int, default=60)
    ap.add_argument("--pypfopt-solves", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "af-portfolio", "--example",
                    "bench_portfolio"], check=True, cwd=ROOT)
    data = write_data(args.dir, args.seed, args.every, args.max_solves)
    load = os.getloadavg()
    rows = {k: ([], []) for k in ("rebalance", "ky", "lw", "mv1000", "backtest")}
    for _ in range(args.repeats):
        rust = run_rust(args.dir)
        py_reb = rebalance_cvxpy(data)
        py_comb = combine_1000(data)
        py_bt = backtest_numpy(data)
        for key, ours, theirs in [("rebalance", rust["rebalance_total_s"], py_reb["total_s"]),
                                  ("ky", rust["ky_s"], py_comb["ky_s"]),
                                  ("lw", rust["lw_s"], py_comb["lw_s"]),
                                  ("mv1000", rust["mv1000_s"], py_comb["mv_s"]),
                                  ("backtest", rust["backtest_s"], py_bt["total_s"])]:
            rows[key][0].append(ours)
            rows[key][1].append(theirs)
    pyp = rebalance_pypfopt(data, args.pypfopt_solves)
    ours_obj, their_obj = np.array(rust["objectives"]), np.array(py_reb["objectives"])
    rel = (ours_obj - their_obj) / np.abs(their_obj)
    pyp_rel = (ours_obj[: pyp["n"]] - np.array(pyp["objectives"])) / np.abs(pyp["objectives"])
    lw_rust = np.fromfile(args.dir / "lw1000_rust.bin", dtype="<f8").reshape(N_ALPHAS, N_ALPHAS)
    checks = {
        "rebalance_solves": len(ours_obj),
        "rebalance_worst_rel_obj_vs_cvxpy": float(rel.min()),
        "rebalance_share_ours_ge_cvxpy_minus_1e-8": float((rel >= -1e-8).mean()),
        "rebalance_worst_abs_obj_vs_cvxpy": float((ours_obj - their_obj).min()),
        "rebalance_objective_range": [float(their_obj.min()), float(their_obj.max())],
        "rebalance_worst_rel_obj_vs_pypfopt": float(pyp_rel.min()),
        "ky_max_abs_weight_diff": float(np.abs(np.array(rust["ky_w"]) - py_comb["ky_w"]).max()),
        "lw_max_abs_cov_diff": float(np.abs(lw_rust - py_comb["lw_cov"]).max()),
        "lw_shrinkage": [rust["lw_shrinkage"], py_comb["lw_shrinkage"]],
        "mv1000_rel_obj": (rust["mv1000_objective"] - py_comb["mv_objective"]) / abs(py_comb["mv_objective"]),
        "backtest_max_abs_net_diff": float(np.abs(np.array(rust["backtest_net"]) - py_bt["net"]).max()),
    }
    n_solves = len(ours_obj)
    checks["rebalance_interior_point_solves"] = rust.get("rebalance_interior_solves")
    if "rebalance_w" in rust:
        checks["rebalance_same_problem_vs_cvxpy"] = same_problem_check(
            data, rust["rebalance_w"], rust["objectives"], min(10, n_solves))
    checks["mv1000_path"] = rust.get("mv1000_path")
    days = "consecutive days" if args.every == 1 else f"every {args.every}th day"
    table = ["| workload | alphafactory (Rust) | peer | peer time | speed-up |", "|---|---:|---|---:|---:|"]
    names = {"rebalance": (f"rebalance 500 assets, {n_solves} solves ({days})", f"cvxpy {cp.__version__} + Clarabel"),
             "ky": ("Kakushadze-Yu, 1,000 alphas x 253", "numpy reference"),
             "lw": ("Ledoit-Wolf 252 x 1,000", f"scikit-learn {sklearn.__version__}"),
             "mv1000": ("mean-variance over 1,000 alphas", f"cvxpy {cp.__version__} + Clarabel"),
             "backtest": ("backtest 500 x 2,520, 10 bp costs", f"numpy {np.__version__} vectorised")}
    for key, (ours, theirs) in rows.items():
        label, peer = names[key]
        o, t = med(ours), med(theirs)
        table.append(f"| {label} | {o * 1e3:.1f} ms | {peer} | {t * 1e3:.1f} ms | {t / o:.1f}x |")
    pyp_ms = pyp["total_s"] / pyp["n"] * 1e3
    ours_ms = med(rows["rebalance"][0]) / n_solves * 1e3
    cvx_ms = med(rows["rebalance"][1]) / n_solves * 1e3
    n_daily = N_DAYS - WINDOW
    table.append(f"| rebalance, per solve | {ours_ms:.1f} ms | cvxpy + Clarabel | {cvx_ms:.1f} ms | {cvx_ms / ours_ms:.1f}x |")
    table.append(f"| rebalance, {n_daily:,} daily solves (extrapolated) | {ours_ms * n_daily / 1e3:.1f} s | cvxpy + Clarabel | "
                 f"{cvx_ms * n_daily / 1e3:.0f} s | {cvx_ms / ours_ms:.1f}x |")
    table.append(f"| rebalance, per solve | {ours_ms:.1f} ms | PyPortfolioOpt 1.6.0 ({pyp['n']} solves) | "
                 f"{pyp_ms:.1f} ms | {pyp_ms / ours_ms:.1f}x |")
    out = {"load_before": load, "load_after": os.getloadavg(), "args": {k: str(v) for k, v in vars(args).items()},
           "rows": rows, "checks": checks, "rust_solve_ms_median": 1e3 * med(rust["solve_s"]),
           "cvxpy_solve_ms_median": 1e3 * med(py_reb["solve_s"]), "table": table,
           "objectives": {"rust": ours_obj.tolist(), "cvxpy": their_obj.tolist(),
                          "pypfopt": pyp["objectives"]}}
    (args.dir / "results.json").write_text(json.dumps(out, indent=1))
    print("\n".join(table))
    print(json.dumps({k: out[k] for k in ("load_before", "load_after", "checks", "rust_solve_ms_median",
                                          "cvxpy_solve_ms_median")}, indent=1))


if __name__ == "__main__":
    main()
