//! Factor analysis against alphalens-reloaded 0.5.1 + scipy 1.16.3 on a seeded 50-asset ×
//! 270-day panel (`scripts/fixtures/alphalens_fixtures.py` → `fixtures/alphalens/alphalens.json`).
//!
//! Tolerances: daily IC / rank IC, bucket means, spreads, turnover and rank autocorrelation
//! 1e-10 absolute (same formulas, different summation order); bucket labels exact; t and p
//! 1e-9 relative (statrs vs scipy Student-t). alphalens options mirrored: `filter_zscore=None`,
//! `max_loss=1.0` (nothing suppressed), quantiles=5, demeaned means and raw means both checked;
//! alphalens 0.5.1 halves the top-minus-bottom spread, we report the raw difference.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_alpha::analysis::{analyze, AnalysisConfig, FactorAnalysis, ForwardReturns, IcEngine};
use serde_json::Value;

const TOL: f64 = 1e-10;

fn load() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/alphalens/alphalens.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|col| {
            col.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap_or(f64::NAN))
        })
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a.is_nan() && b.is_nan()) || (a - b).abs() <= tol,
        "{what}: rust {a} vs alphalens {b}"
    );
}

struct Case {
    fx: Value,
    nd: usize,
    na: usize,
    fwd: ForwardReturns,
}

fn case() -> Case {
    let fx = load();
    let nd = fx["dates"].as_array().unwrap().len();
    let na = fx["assets"].as_array().unwrap().len();
    let fwd = ForwardReturns::from_prices(&matrix(&fx["prices"]), nd, na, &[1, 5, 10, 20]).unwrap();
    Case { fx, nd, na, fwd }
}

fn run(c: &Case, name: &str) -> (Vec<f64>, FactorAnalysis, Vec<usize>) {
    let factor = matrix(&c.fx["factors"][name]);
    let engine = IcEngine::new(&c.fwd);
    let res = analyze(&engine, &factor, &AnalysisConfig::default(), None).unwrap();
    // alphalens' dates: those with a factor value and every forward return
    let kept: Vec<usize> = (0..c.nd - 20)
        .filter(|&t| (0..c.na).any(|a| factor[a * c.nd + t].is_finite()))
        .collect();
    (factor, res, kept)
}

#[test]
fn daily_ic_and_rank_ic_match_scipy_and_alphalens() {
    let c = case();
    for name in ["signal", "reversal", "coarse"] {
        let (_, res, kept) = run(&c, name);
        for h in &res.horizons {
            let want = &c.fx["results"][name]["horizons"][h.horizon.to_string()];
            let (rank_ic, ic) = (floats(&want["rank_ic"]), floats(&want["pearson_ic"]));
            assert_eq!(rank_ic.len(), kept.len(), "{name}");
            for (k, &t) in kept.iter().enumerate() {
                close(
                    h.rank_ic[t],
                    rank_ic[k],
                    TOL,
                    &format!("{name} h{} rank IC t{t}", h.horizon),
                );
                close(
                    h.ic[t],
                    ic[k],
                    TOL,
                    &format!("{name} h{} IC t{t}", h.horizon),
                );
            }
            let s = h.rank_ic_stats;
            assert_eq!(s.n, kept.len());
            close(
                s.mean,
                want["rank_ic_mean"].as_f64().unwrap(),
                1e-12,
                "IC mean",
            );
            close(
                s.std,
                want["rank_ic_std"].as_f64().unwrap(),
                1e-12,
                "IC std",
            );
            let (t, p) = (
                want["rank_ic_t"].as_f64().unwrap(),
                want["rank_ic_p"].as_f64().unwrap(),
            );
            close(
                s.t_stat,
                t,
                1e-9 * t.abs(),
                &format!("{name} h{} t", h.horizon),
            );
            close(
                s.p_value,
                p,
                1e-9 * p.abs().max(1e-300),
                &format!("{name} h{} p", h.horizon),
            );
            close(
                h.ic_stats.mean,
                want["pearson_ic_mean"].as_f64().unwrap(),
                1e-12,
                "Pearson mean",
            );
        }
    }
}

#[test]
fn buckets_match_alphalens_quantize_factor() {
    let c = case();
    for name in ["signal", "reversal", "coarse"] {
        let factor = matrix(&c.fx["factors"][name]);
        let want = c.fx["results"][name]["quantiles_by_date"]
            .as_array()
            .unwrap();
        let (_, res, kept) = run(&c, name);
        assert_eq!(res.bucketed_days, kept.len(), "{name}");
        // rebuild today's buckets from the turnover definition is indirect; check through a
        // re-run of the bucketing on each kept date instead
        for (k, &t) in kept.iter().enumerate() {
            let row = want[k].as_array().unwrap();
            let mut sorted: Vec<(f64, u32)> = (0..c.na)
                .filter(|&a| factor[a * c.nd + t].is_finite())
                .map(|a| (factor[a * c.nd + t], a as u32))
                .collect();
            sorted.sort_by(|x, y| x.0.total_cmp(&y.0));
            let mut labels = vec![0u8; c.na];
            assert!(af_alpha::analysis::quantile::qcut_sorted(
                &sorted,
                5,
                &mut Vec::new(),
                &mut Vec::new(),
                &mut labels
            ));
            for a in 0..c.na {
                let expect = row[a].as_u64().map(|v| v as u8).unwrap_or(0);
                assert_eq!(labels[a], expect, "{name} date #{t} asset #{a}");
            }
        }
    }
}

#[test]
fn quantile_returns_spread_turnover_autocorrelation_match_alphalens() {
    let c = case();
    for name in ["signal", "reversal", "coarse"] {
        let (_, res, kept) = run(&c, name);
        for h in &res.horizons {
            let want = &c.fx["results"][name]["horizons"][h.horizon.to_string()];
            let tag = format!("{name} h{}", h.horizon);
            for (got, key) in [
                (
                    &h.quantile_mean_demeaned,
                    "mean_return_by_quantile_demeaned",
                ),
                (&h.quantile_mean, "mean_return_by_quantile_raw"),
            ] {
                for (q, (g, w)) in got.iter().zip(floats(&want[key])).enumerate() {
                    close(*g, w, 1e-12, &format!("{tag} {key} q{}", q + 1));
                }
            }
            let tmb = want["top_minus_bottom_daily_mean"].as_f64().unwrap();
            close(h.spread_mean, tmb, 1e-12, &format!("{tag} spread"));
            close(
                h.spread_mean / 2.0,
                want["alphalens_spread_mean_halved"].as_f64().unwrap(),
                1e-12,
                &tag,
            );
            for (series, q) in [(&h.turnover_bottom, "1"), (&h.turnover_top, "5")] {
                let w = floats(&want["quantile_turnover"][q]);
                for (k, &t) in kept.iter().enumerate() {
                    close(series[t], w[k], TOL, &format!("{tag} turnover q{q} t{t}"));
                }
            }
            let ac = floats(&want["rank_autocorrelation"]);
            for (k, &t) in kept.iter().enumerate() {
                close(
                    h.rank_autocorr[t],
                    ac[k],
                    TOL,
                    &format!("{tag} rank autocorrelation t{t}"),
                );
            }
        }
    }
}

#[test]
fn the_planted_signal_is_found() {
    let c = case();
    let (_, res, _) = run(&c, "signal");
    let h1 = &res.horizons[0];
    assert!(h1.rank_ic_stats.mean > 0.2 && h1.rank_ic_stats.t_stat > 10.0);
    assert!(h1.spread_mean > 0.0);
    let (_, noise, _) = run(&c, "coarse");
    assert!(noise.horizons[0].rank_ic_stats.mean.abs() < 0.03);
}
