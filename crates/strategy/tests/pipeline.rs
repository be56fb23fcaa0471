//! The strategy pipeline: no look-ahead, determinism, limits, config errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use af_data::synthetic::{generate, SyntheticConfig};
use af_strategy::{run_with_alphas, StrategyConfig, StrategyError};

fn config(extra: &str) -> StrategyConfig {
    let text = format!(
        "name: t\nuniverse: {{ synthetic: {{ assets: 40, days: 420, seed: 3 }} }}\nalphas: {{ exprs: [{{name: rev, expr: '-delta(close, 5)'}}] }}\ncombination: {{ method: equal, lookback: 60, refit_every: 10 }}\n{extra}"
    );
    StrategyConfig::parse(&text, Path::new("t.yaml")).unwrap()
}

fn panel() -> af_core::Panel {
    generate(&SyntheticConfig {
        assets: 40,
        days: Some(420),
        seed: 3,
        ..SyntheticConfig::default()
    })
    .unwrap()
}

/// An "alpha" equal to tomorrow's return — the look-ahead trap.
fn tomorrow(panel: &af_core::Panel) -> Vec<f64> {
    let n = panel.n_dates();
    let r = panel.field("returns").unwrap();
    let mut v = vec![f64::NAN; r.len()];
    for a in 0..panel.n_assets() {
        for t in 0..n - 1 {
            v[a * n + t] = r[a * n + t + 1];
        }
    }
    v
}

#[test]
fn a_planted_tomorrow_alpha_earns_nothing() {
    let cfg = config("kill_switch: { enabled: false }\nrisk: { dynamic_leverage: false, var_budget: null, drawdown_stop: null }\ncosts: { bps: 0, slippage_bps: 0 }\n");
    let p = panel();
    let res = run_with_alphas(&cfg, &p, vec![("cheat".into(), tomorrow(&p))]).unwrap();
    let traded: Vec<f64> = res.net.iter().copied().filter(|x| *x != 0.0).collect();
    assert!(
        traded.len() > 200,
        "the strategy should trade: {}",
        traded.len()
    );
    let m = traded.iter().sum::<f64>() / traded.len() as f64;
    let sd = (traded.iter().map(|x| (x - m).powi(2)).sum::<f64>() / traded.len() as f64).sqrt();
    let t = m / (sd / (traded.len() as f64).sqrt());
    assert!(
        t.abs() < 4.0,
        "t = {t}: tomorrow's return leaked into the backtest"
    );
}

#[test]
fn deterministic_and_within_limits() {
    // one alpha: with the kill switch on, a weak first month would retire it and leave the book flat
    let cfg = config("kill_switch: { enabled: false }\nportfolio: { style: dollar_neutral, max_position: 0.06, sector_cap: 0.30 }\n");
    let p = panel();
    let alphas = || {
        vec![(
            "rev".to_string(),
            af_alpha::evaluate_batch(&p, &[("rev", "-delta(close, 5)")]).unwrap()[0]
                .values
                .clone(),
        )]
    };
    let a = run_with_alphas(&cfg, &p, alphas()).unwrap();
    let b = run_with_alphas(&cfg, &p, alphas()).unwrap();
    assert_eq!(a.net, b.net);
    let (n, k) = (p.n_dates(), p.n_assets());
    let (ids, names) = &a.sectors;
    for t in 0..n {
        let mut sector = vec![0.0; names.len()];
        for i in 0..k {
            let h = a.holdings[i * n + t];
            // positions drift between rebalances; at most by a day's move
            assert!(h.abs() <= 0.06 * 1.5, "day {t} asset {i}: {h}");
            sector[ids[i]] += h.abs();
        }
        assert!(
            sector.iter().all(|s| *s <= 0.30 * 1.5),
            "day {t}: {sector:?}"
        );
        assert!(a.exposure[t].0 <= 1.0 + 1e-9 || t == 0);
    }
    assert!(a.net.iter().any(|x| *x != 0.0));
}

#[test]
fn config_errors_name_key_and_line() {
    let bad = "name: x\nuniverse: { synthetic: { assets: 5 } }\nalphas: { library: alpha101 }\nportfolio:\n  style: long_only\n  max_posiiton: 0.1\n";
    let err = StrategyConfig::parse(bad, Path::new("bad.yaml")).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, StrategyError::Config { line: 6, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("bad.yaml:6") && msg.contains("portfolio"),
        "{msg}"
    );
    let none = "universe: { synthetic: { assets: 5 } }\nalphas: {}\n";
    let msg = StrategyConfig::parse(none, Path::new("c.yaml"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("alphas") && msg.contains("library"), "{msg}");
}
