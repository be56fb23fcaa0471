"""Side-by-side benchmark: af-eval's per-model evaluations vs the Python stack, one core each.

    cargo bench -p af-eval --bench eval                  # Rust side (criterion)
    .venv/bin/python scripts/bench/eval_vs_python.py     # Python side + the comparison table

Same workload on both sides: series of n = 1,000 periods (GARCH(1,1)-like returns, their
variance, a 1 % normal VaR, a noisy variance forecast):
  var_backtest        breach series, Kupiec LR_uc, Christoffersen LR_ind and LR_cc with chi2 p-values
                      (numpy + scipy.stats.chi2: no maintained package ships these tests)
  variance_losses     MSE, MAE, RMSE, QLIKE, Pearson correlation (numpy)
  mincer_zarnowitz    statsmodels OLS(RV, [1, F]).fit() + f_test + wald_test of a = 0, b = 1
  diebold_mariano_h5  DM with h = 5 autocovariances + HLN correction (numpy + scipy.stats)
  akaike_weights_20   exp(-(AIC - min)/2) normalized over 20 candidates (numpy)
  model_report_252    the full per-model report on 252 days: losses, MZ classical + HAC(4)
                      (statsmodels), VaR backtests at 1/5/10 %, DM h = 1
  walk_forward_2520   sklearn TimeSeriesSplit(n_splits=57, max_train_size=1000, test_size=22)
                      over 2,520 days vs af-eval rolling(train 1000, test 1260, refit 22)
Python times are the best of 5 timeit repeats (per call); Rust times are criterion's mean
estimates read from $CARGO_TARGET_DIR/criterion (or target/criterion). The ratio is python / rust.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import math  # noqa: E402
import pathlib  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from scipy.special import xlogy  # noqa: E402
from scipy.stats import chi2, norm  # noqa: E402
from scipy.stats import t as t_dist  # noqa: E402
from sklearn.model_selection import TimeSeriesSplit  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def data(n=1000, seed=7):
    rng = np.random.default_rng(seed)
    r, s2v = np.empty(n), np.empty(n)
    s2 = 1e-5 / (1 - 0.08 - 0.9)
    for t in range(n):
        s2v[t] = s2
        r[t] = math.sqrt(s2) * rng.standard_normal()
        s2 = 1e-5 + 0.08 * r[t] ** 2 + 0.9 * s2
    var = 2.3263478740408408 * np.sqrt(s2v)
    noisy = s2v * np.exp(0.5 * rng.standard_normal(n))
    return r, s2v, var, noisy


def var_backtest(r, var, p=0.01):
    h = (-r > var).astype(int)
    n, x = h.size, int(h.sum())
    pi = x / n
    lr_uc = -2 * (xlogy(n - x, 1 - p) + xlogy(x, p) - xlogy(n - x, 1 - pi) - xlogy(x, pi))
    prev, cur = h[:-1], h[1:]
    n00 = np.sum((prev == 0) & (cur == 0))
    n01 = np.sum((prev == 0) & (cur == 1))
    n10 = np.sum((prev == 1) & (cur == 0))
    n11 = np.sum((prev == 1) & (cur == 1))
    pi01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pa = (n01 + n11) / (n - 1)
    lr_ind = -2 * (xlogy(n00 + n10, 1 - pa) + xlogy(n01 + n11, pa) - xlogy(n00, 1 - pi01)
                   - xlogy(n01, pi01) - xlogy(n10, 1 - pi11) - xlogy(n11, pi11))
    return chi2.sf(lr_uc, 1), chi2.sf(lr_ind, 1), chi2.sf(lr_uc + lr_ind, 2)


def variance_losses(f, a):
    ok = ~(np.isnan(f) | np.isnan(a))
    f, a = f[ok], a[ok]
    e = f - a
    pos = (f > 0) & (a > 0)
    q = a[pos] / f[pos]
    return (np.mean(e ** 2), np.mean(np.abs(e)), np.sqrt(np.mean(e ** 2)),
            np.mean(q - np.log(q) - 1), np.corrcoef(f, a)[0, 1])


def mincer_zarnowitz(f, a):
    res = sm.OLS(a, sm.add_constant(f)).fit()
    return res.f_test("const = 0, x1 = 1"), res.wald_test("const = 0, x1 = 1", use_f=False,
                                                          scalar=True), res.rsquared


def diebold_mariano(f1, f2, a, h=5):
    d = (f1 - a) ** 2 - (f2 - a) ** 2
    n = d.size
    dev = d - d.mean()
    lrv = np.sum(dev * dev) / n + 2 * sum(np.sum(dev[k:] * dev[: n - k]) / n for k in range(1, h))
    dm = d.mean() / math.sqrt(lrv / n)
    hln = dm * math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    return 2 * norm.sf(abs(dm)), 2 * t_dist.sf(abs(hln), n - 1)


def akaike_weights(aic):
    w = np.exp(-(aic - np.nanmin(aic)) / 2)
    w[np.isnan(w)] = 0
    return w / w.sum()


def model_report(r, s2, noisy, rv, m=252):
    r, s2, noisy, rv = r[:m], s2[:m], noisy[:m], rv[:m]
    out = [variance_losses(s2, rv), mincer_zarnowitz(s2, rv)]
    res = sm.OLS(rv, sm.add_constant(s2)).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
    out.append(res.f_test("const = 0, x1 = 1"))
    for p in (0.01, 0.05, 0.10):
        out.append(var_backtest(r, -norm.ppf(p) * np.sqrt(s2), p))
    out.append(diebold_mariano(s2, noisy, rv, h=1))
    return out


def walk_forward(n=2520):
    return list(TimeSeriesSplit(n_splits=57, max_train_size=1000, test_size=22).split(np.empty(n)))


def best_of(fn, repeat=5):
    number = max(1, int(0.2 / max(timeit.timeit(fn, number=1), 1e-7)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def rust_ns(name):
    base = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "criterion"
    p = base / name / "new" / "estimates.json"
    if not p.exists():
        return None
    return json.loads(p.read_text())["mean"]["point_estimate"]


def main():
    r, s2, var, noisy = data()
    rv = r ** 2
    aic = -3000.0 + (np.arange(20) * 7 % 11).astype(float)
    cases = {
        "var_backtest": lambda: var_backtest(r, var),
        "variance_losses": lambda: variance_losses(s2, rv),
        "mincer_zarnowitz": lambda: mincer_zarnowitz(s2, rv),
        "diebold_mariano_h5": lambda: diebold_mariano(s2, noisy, rv),
        "akaike_weights_20": lambda: akaike_weights(aic),
        "model_report_252": lambda: model_report(r, s2, noisy, rv),
        "walk_forward_2520": walk_forward,
    }
    print(f"{'evaluation':<22}{'python µs':>12}{'rust µs':>12}{'ratio':>9}")
    out = {}
    for name, fn in cases.items():
        py = best_of(fn) * 1e6
        ns = rust_ns(name)
        rs = None if ns is None else ns / 1e3
        ratio = "" if rs is None else f"{py / rs:8.1f}x"
        rs_txt = "n/a" if rs is None else f"{rs:.2f}"
        print(f"{name:<22}{py:>12.2f}{rs_txt:>12}{ratio:>9}")
        out[name] = {"python_us": py, "rust_us": rs}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
