//! Leaderboard numbers against af-eval on a hand-checkable registry: 2 assets × 2 variants ×
//! 6 days, one refit window, horizon 1, 5% VaR. Asset B's second variant failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_board::{ensemble, Board, BoardError, Ensemble, GroupBy, Metric, ReportOptions, RunIndex};
use af_eval::{MincerZarnowitz, VarBacktest, VarianceLosses};
use af_registry::{
    Failure, ForecastRow, ModelRow, NewRun, Registry, SpecRow, TaskKey, TaskRecord, VarRow,
};
use af_vol::spec::{DistKind, GarchSpec, VolKind};

const R: [f64; 6] = [1.0, 2.0, 1.5, 3.0, 2.5, 2.0];
const A1: [f64; 6] = [1.2, 1.8, 1.4, 2.5, 2.6, 2.1];
const A2: [f64; 6] = [0.8, 2.5, 1.0, 3.5, 2.0, 1.5];
const B1: [f64; 6] = [2.0, 1.0, 2.0, 2.0, 2.0, 2.0];
const RET: [f64; 6] = [-1.0, 0.5, -2.5, 0.3, -0.2, 1.0];
const GARCH: &str = "Constant-GARCH(1,0,1)-normal";
const GJR: &str = "Constant-GJR(1,1,1)-t";

fn date(t: usize) -> String {
    format!("2024-01-0{}", t + 1)
}

fn task(asset: &str, hash: &str, f: Option<(&[f64], f64)>) -> TaskRecord {
    let model = ModelRow {
        key: TaskKey {
            asset: asset.into(),
            spec_hash: hash.into(),
            window: 0,
        },
        train_start: Some("2020-01-01".into()),
        train_end: Some("2023-12-29".into()),
        nobs: 1000,
        failure: f.is_none().then(|| Failure {
            kind: "fit_failed".into(),
            message: format!("asset {asset}: optimizer diverged"),
        }),
        params_json: f.map(|_| "{}".into()),
        loglik: f.map(|(_, aic)| -aic / 2.0),
        aic: f.map(|(_, aic)| aic),
        bic: f.map(|(_, aic)| aic + 10.0),
        converged: f.map(|_| true),
        warnings: None,
        fit_us: 1500,
    };
    let forecasts = f.map_or(Vec::new(), |(v, _)| {
        (0..6)
            .map(|t| ForecastRow {
                date: date(t),
                horizon: 1,
                window: 0,
                forecast: v[t],
                realized: Some(R[t]),
            })
            .collect()
    });
    let var = f.map_or(Vec::new(), |(v, _)| {
        (0..6)
            .map(|t| VarRow {
                date: date(t),
                level: 0.05,
                window: 0,
                value_at_risk: 1.645 * v[t].sqrt(),
                realized_return: Some(RET[t]),
            })
            .collect()
    });
    TaskRecord {
        model,
        forecasts,
        var,
    }
}

fn registry() -> (Registry, i64) {
    let mut reg = Registry::open_in_memory().unwrap();
    let gjr = GarchSpec {
        vol: VolKind::Gjr,
        o: 1,
        dist: DistKind::StudentsT,
        ..GarchSpec::default()
    };
    let specs = [("h1", GarchSpec::default()), ("h2", gjr)];
    reg.upsert_specs(
        &specs
            .iter()
            .map(|(h, s)| SpecRow {
                spec_hash: h.to_string(),
                family: "garch".into(),
                label: s.to_string(),
                spec_json: serde_json::json!({ "garch": s }).to_string(),
            })
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let id = reg
        .create_run(&NewRun {
            name: "tiny".into(),
            experiment_hash: "e".into(),
            spec_json: r#"{"name":"tiny","seed":7}"#.into(),
            code_version: "test".into(),
            seed: 7,
            shard_index: 0,
            shard_count: 1,
            n_tasks: 4,
            started: "2026-01-01T00:00:00Z".into(),
        })
        .unwrap();
    let tasks = [
        task("A", "h1", Some((&A1, 100.0))),
        task("A", "h2", Some((&A2, 102.0))),
        task("B", "h1", Some((&B1, 50.0))),
        task("B", "h2", None),
    ];
    reg.write_tasks(id, &tasks).unwrap();
    (reg, id)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
}

#[test]
fn variant_scores_equal_af_eval() {
    let (reg, id) = registry();
    let board = Board::compute(&reg, id, &[]).unwrap();
    let row = |asset: &str, model: &str| {
        board
            .rows
            .iter()
            .find(|r| r.asset == asset && r.model == model)
            .unwrap()
    };
    for (asset, model, f) in [("A", GARCH, &A1), ("A", GJR, &A2), ("B", GARCH, &B1)] {
        let l = VarianceLosses::compute(f, &R).unwrap();
        let mz = MincerZarnowitz::fit(f, &R).unwrap();
        let r = row(asset, model);
        assert_eq!(
            (r.n, r.mse, r.mae, r.qlike),
            (6, Some(l.mse), Some(l.mae), Some(l.qlike))
        );
        assert_eq!((r.mz_r2, r.correlation), (Some(mz.r2), Some(l.correlation)));
    }
    // The failed variant has no forecasts, hence no scores.
    let failed = row("B", GJR);
    assert_eq!((failed.n, failed.qlike, failed.aic), (0, None, None));
    assert_eq!(row("A", GJR).aic, Some(102.0));
    // VaR: A's GARCH VaR_t = 1.645·√F_t; the return −2.5 on day 3 is the only loss beyond it.
    let v = board
        .var
        .iter()
        .find(|v| v.asset == "A" && v.model == GARCH)
        .unwrap();
    let var: Vec<f64> = A1.iter().map(|f| 1.645 * f.sqrt()).collect();
    let bt = VarBacktest::from_returns(&RET, &var, 0.05).unwrap();
    assert_eq!((v.breaches, v.n), (1, 6));
    assert_eq!((v.p_uc, v.p_ind, v.p_cc), (bt.p_uc, bt.p_ind, bt.p_cc));
}

#[test]
fn aic_ensemble_by_hand() {
    let (reg, id) = registry();
    let board = Board::compute(&reg, id, &[]).unwrap();
    // ΔAIC = 2 ⇒ w = [1, e^{-1}] / (1 + e^{-1}).
    let w1 = 1.0 / (1.0 + (-1.0f64).exp());
    assert!((w1 - 0.731_058_578_630_004_9).abs() < 1e-15);
    let expect: Vec<f64> = A1
        .iter()
        .zip(&A2)
        .map(|(a, b)| w1 * a + (1.0 - w1) * b)
        .collect();
    let l = VarianceLosses::compute(&expect, &R).unwrap();
    let row = |asset: &str, e: Ensemble| {
        board
            .rows
            .iter()
            .find(|r| r.asset == asset && r.model == e.name())
            .unwrap()
    };
    close(row("A", Ensemble::Aic).mse.unwrap(), l.mse);
    close(row("A", Ensemble::Aic).qlike.unwrap(), l.qlike);
    // Equal weights: the plain mean.
    let mean: Vec<f64> = A1.iter().zip(&A2).map(|(a, b)| 0.5 * (a + b)).collect();
    close(
        row("A", Ensemble::Equal).mse.unwrap(),
        VarianceLosses::compute(&mean, &R).unwrap().mse,
    );
    // B: the failed variant weighs 0, every ensemble is the surviving variant.
    let b1 = VarianceLosses::compute(&B1, &R).unwrap();
    for e in Ensemble::ALL {
        close(row("B", e).mse.unwrap(), b1.mse);
    }
    let sel = board.selection();
    close(sel[0].mean_aic_weight, (w1 + 1.0) / 2.0);
    assert_eq!((sel[0].aic_wins, sel[1].aic_wins), (2, 0));
}

#[test]
fn inverse_mse_weights_by_hand() {
    let (reg, id) = registry();
    let index = RunIndex::open(&reg, id).unwrap();
    let data = index.asset(&reg, 0).unwrap();
    let f = ensemble::forecast(Ensemble::InverseMse, &data, &index.fits[0], 0);
    // t = 0: no history ⇒ equal weights.
    close(f[0], 0.5 * (A1[0] + A2[0]));
    // t = 3, h = 1: MSE over days 0..3.
    let mse = |x: &[f64; 6]| (0..3).map(|t| (x[t] - R[t]).powi(2)).sum::<f64>() / 3.0;
    let (w1, w2) = (1.0 / mse(&A1), 1.0 / mse(&A2));
    close(f[3], (w1 * A1[3] + w2 * A2[3]) / (w1 + w2));
}

#[test]
fn rankings_and_wins() {
    let (reg, id) = registry();
    let board = Board::compute(&reg, id, &[]).unwrap();
    let lb = board.leaderboard(GroupBy::Family, Metric::Qlike, None);
    assert_eq!(lb.groups.len(), 1);
    let g = &lb.groups[0];
    assert_eq!(g.rows.len(), 5);
    let q: Vec<f64> = g.rows.iter().map(|r| r.qlike.unwrap()).collect();
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    assert_eq!(
        g.rows.iter().map(|r| r.rank.unwrap()).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(g.winner.as_deref(), Some(g.rows[0].model.as_str()));
    // The family mean of GARCH's QLIKE is the mean over assets A and B.
    let garch = g.rows.iter().find(|r| r.model == GARCH).unwrap();
    let (qa, qb) = (
        VarianceLosses::compute(&A1, &R).unwrap().qlike,
        VarianceLosses::compute(&B1, &R).unwrap().qlike,
    );
    close(garch.qlike.unwrap(), (qa + qb) / 2.0);
    // Wins: B has one variant; A's winner is the variant with the lower QLIKE.
    let qa2 = VarianceLosses::compute(&A2, &R).unwrap().qlike;
    let wins = board.wins(Metric::Qlike);
    assert_eq!(wins[GARCH] + wins[GJR], 2);
    assert_eq!(wins[GARCH], if qa <= qa2 { 2 } else { 1 });
    // MZ R² ranks the other way round; by asset gives one group per asset; top truncates.
    let r2 = board.leaderboard(GroupBy::Asset, Metric::MzR2, Some(2));
    assert_eq!(
        r2.groups.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
        vec!["A", "B"]
    );
    assert!(r2.groups.iter().all(|g| g.rows.len() == 2));
    assert!(r2.groups[0].rows[0].mz_r2 >= r2.groups[0].rows[1].mz_r2);
    // AIC ranks variants only; ensembles have no AIC and come last without a rank.
    let aic = board.leaderboard(GroupBy::Horizon, Metric::Aic, None);
    assert_eq!(aic.groups[0].key, "horizon 1");
    assert_eq!(aic.groups[0].rows[0].model, GARCH);
    assert!(aic.groups[0]
        .rows
        .iter()
        .filter(|r| r.ensemble)
        .all(|r| r.rank.is_none()));
    let json = serde_json::to_value(&lb).unwrap();
    assert_eq!(json["groups"][0]["rows"][0]["rank"], 1);
    assert!(!lb.to_string().contains("NaN"));
}

#[test]
fn errors_name_run_and_asset() {
    let (reg, id) = registry();
    let e = Board::compute(&reg, id, &["ZZZ".into()]).unwrap_err();
    assert!(matches!(e, BoardError::UnknownAsset { .. }));
    assert!(
        e.to_string().contains("`ZZZ`") && e.to_string().contains("A, B"),
        "{e}"
    );
    assert!(Board::compute(&reg, id + 5, &[])
        .unwrap_err()
        .to_string()
        .contains(&(id + 5).to_string()));
}

#[test]
fn report_is_well_formed() {
    let (reg, id) = registry();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sub/report.html");
    let opts = ReportOptions {
        assets: vec!["A".into(), "B".into()],
        max_failures: 10,
    };
    af_board::write_report(&reg, id, &out, &opts).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    for section in [
        "Leaderboard",
        "Mean QLIKE per horizon",
        "Loss distributions",
        "volatility forecast vs realized",
        "VaR backtests",
        "AIC-ensemble weights",
        "Ensembles and selection",
        "Failures",
        "optimizer diverged",
        "Fit times per variant",
        "Experiment",
    ] {
        assert!(html.contains(section), "missing {section}");
    }
    assert!(!html.contains("NaN") && !html.contains("inf<"));
    for tag in ["table", "svg", "figure"] {
        assert_eq!(
            html.matches(&format!("<{tag}")).count(),
            html.matches(&format!("</{tag}>")).count(),
            "{tag}"
        );
    }
    // Self-contained: no script, nothing fetched (the only URL is the SVG namespace).
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
}
