//! GARCH VaR and covariance in the strategy, stress windows, the kill-switch floor, config errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use af_data::synthetic::{generate, SyntheticConfig};
use af_portfolio::garch_risk::garch_var_cvar;
use af_portfolio::kill_switch::PortfolioState;
use af_portfolio::risk::normal_var_cvar;
use af_strategy::config::{CovarianceKind, Risk, VarMethod};
use af_strategy::risk_model::RiskModel;
use af_strategy::signals::DateMajor;
use af_strategy::{run_with_alphas, StrategyConfig};
use af_vol::GarchSpec;

fn panel() -> af_core::Panel {
    generate(&SyntheticConfig {
        assets: 30,
        days: Some(520),
        seed: 5,
        ..SyntheticConfig::default()
    })
    .unwrap()
}

fn returns(p: &af_core::Panel) -> DateMajor {
    DateMajor::from_asset_major(p.field("returns").unwrap(), p.n_dates(), p.n_assets())
}

#[test]
fn garch_var_of_the_day_is_af_vols_on_the_pro_forma_pnl() {
    let p = panel();
    let r = returns(&p);
    let names = p.assets().to_vec();
    let w: Vec<f64> = (0..p.n_assets())
        .map(|a| if a % 2 == 0 { 0.05 } else { -0.05 })
        .collect();
    let risk = Risk {
        var_method: VarMethod::Garch,
        garch_window: 300,
        ..Risk::default()
    };
    let to = 450;
    let got = RiskModel::new(&risk).var(&w, &r, to, &names).unwrap();
    let pnl: Vec<f64> = (to - 300..to)
        .map(|t| {
            r.row(t)
                .iter()
                .zip(&w)
                .map(|(x, wi)| if x.is_finite() { x * wi } else { 0.0 })
                .sum()
        })
        .collect();
    let (want, _) = garch_var_cvar(&pnl, 0.95, &GarchSpec::default()).unwrap();
    assert!(
        (got.var - want.var).abs() <= 1e-12 * want.var,
        "{got:?} {want:?}"
    );
    assert!((got.cvar - want.cvar).abs() <= 1e-12 * want.cvar);

    // parametric with the GARCH covariance: normal VaR with σ² = wᵀΣw of the same model
    let risk = Risk {
        var_method: VarMethod::Parametric,
        covariance: CovarianceKind::Garch,
        garch_window: 300,
        ..risk
    };
    let mut model = RiskModel::new(&risk);
    let all: Vec<usize> = (0..p.n_assets()).collect();
    let cov = model.covariance(&r, &all, to, &names).unwrap();
    let got = model.var(&w, &r, to, &names).unwrap();
    let wv = nalgebra::DVector::from_vec(w.clone());
    let s2 = (wv.transpose() * &cov * &wv)[(0, 0)];
    let mu = pnl[pnl.len() - 60..].iter().sum::<f64>() / 60.0;
    let want = normal_var_cvar(mu, s2.sqrt(), 0.95);
    assert!((got.var - want.var).abs() < 1e-12, "{got:?} {want:?}");
    assert!(model.warnings.is_empty(), "{:?}", model.warnings);
}

fn config(extra: &str) -> StrategyConfig {
    let text = format!(
        "name: t\nuniverse: {{ synthetic: {{ assets: 30, days: 520, seed: 5 }} }}\nalphas: {{ exprs: [{{name: rev, expr: '-delta(close, 5)'}}] }}\ncombination: {{ method: equal, lookback: 60, refit_every: 10 }}\n{extra}"
    );
    StrategyConfig::parse(&text, Path::new("t.yaml")).unwrap()
}

fn alphas(p: &af_core::Panel) -> Vec<(String, Vec<f64>)> {
    let exprs: Vec<(String, String)> = [
        "-delta(close, 5)",
        "delta(close, 5)",
        "-delta(close, 10)",
        "rank(volume)",
        "-rank(volume)",
        "-delta(close, 3)",
    ]
    .iter()
    .enumerate()
    .map(|(i, e)| (format!("a{i}"), e.to_string()))
    .collect();
    af_alpha::evaluate_batch(p, &exprs)
        .unwrap()
        .into_iter()
        .map(|v| (v.name, v.values))
        .collect()
}

#[test]
fn garch_run_with_floor_pool_and_stress_windows() {
    let cfg = config(
        "kill_switch: { min_active: 2, max_active: 4, readmit_after: 40 }\n\
         portfolio: { construction: mean_variance, rebalance_every: 5 }\n\
         risk: { var_method: garch, covariance: garch, garch_window: 200, garch_refit_every: 40 }\n\
         stress: { windows: [{ name: spring, start: '2021-03-01', end: '2021-05-31' }], worst_days: [20], worst_count: 2 }\n",
    );
    let p = panel();
    let res = run_with_alphas(&cfg, &p, alphas(&p)).unwrap();
    let first = res.first_trade;
    assert_eq!(first, 63);
    // the floor holds from the first traded day, the cap too
    assert!(
        res.live_count[first..]
            .iter()
            .all(|&c| (2..=4).contains(&c)),
        "{:?}",
        &res.live_count[first..]
    );
    assert!(res.live_count[..first].iter().all(|&c| c == 0));
    assert_eq!(res.weight_before.len(), res.events.len());
    for (e, w) in res.events.iter().zip(&res.weight_before) {
        assert!(
            e.day >= first + 29,
            "retired before a full live window: {e:?}"
        );
        assert_eq!(*w, res.alpha_weights[e.day - 1][e.alpha]);
    }
    // four best-ranked promoted on the first day
    assert_eq!(res.promotions.iter().filter(|p| p.day == first).count(), 4);
    // the GARCH VaR ran on every rebalance day from the first trade until a halt, none after
    let stop = res.halted_on.unwrap_or(res.net.len());
    for (t, v) in res.pro_forma_var.iter().enumerate() {
        let due = t >= first && t < stop && t % 5 == 0;
        assert_eq!(v.is_some(), due, "day {t}");
    }
    assert!(res.leverage.iter().all(|m| (0.0..=1.0).contains(m)));
    // stress: COVID (data start 2020-01-01), the spring window, two worst 20-day windows
    let names: Vec<&str> = res.stress.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"COVID crash") && names.contains(&"spring"),
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.starts_with("worst 20")).count(),
        2
    );
    let covid = res.stress.iter().find(|s| s.name == "COVID crash").unwrap();
    assert_eq!(covid.start, "2020-02-19");
    assert_eq!(covid.invested_days, 0); // before the first trade
                                        // realized risk by all three methods
    assert_eq!(res.realized_risk.len(), 3);
    assert!(
        res.realized_risk.iter().all(|(_, v)| v.is_ok()),
        "{:?}",
        res.realized_risk
    );
    // state changes start with the first day's state
    assert_eq!(res.state_changes[0].0, 0);
    assert_eq!(res.state_changes[0].1, PortfolioState::Active);
    // the page renders every section
    let html = af_strategy::tearsheet::render(&res, &cfg);
    for s in [
        "Stress windows",
        "Kill switch",
        "VaR and CVaR",
        "Live alphas",
        "spring",
    ] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn risk_and_stress_config_errors_are_clear() {
    let base = "universe: { synthetic: { assets: 5 } }\nalphas: { library: alpha101 }\n";
    let cases = [
        (
            "risk:\n  var_method: monte_carlo\n",
            "t.yaml:4",
            "risk.var_method",
        ),
        (
            "risk:\n  covariance: sample\n",
            "t.yaml:4",
            "risk.covariance",
        ),
        ("risk: { garch_window: 50 }\n", "", "risk.garch_window"),
        ("risk: { shrinkage: 0 }\n", "", "risk.shrinkage"),
        (
            "kill_switch: { min_active: 5, max_active: 3 }\n",
            "",
            "kill_switch.max_active",
        ),
        (
            "stress: { windows: [{ name: x, start: '2021-13-01', end: '2021-12-31' }] }\n",
            "",
            "stress.windows[0].start",
        ),
        (
            "stress: { windows: [{ name: x, start: '2021-06-01', end: '2021-01-31' }] }\n",
            "",
            "stress.windows[0]",
        ),
    ];
    for (extra, at, key) in cases {
        let msg = StrategyConfig::parse(&format!("{base}{extra}"), Path::new("t.yaml"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains(at) && msg.contains(key), "{extra}: {msg}");
    }
}
