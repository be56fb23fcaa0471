//! af-eval against independent reference values: scipy (χ² tail, xlogy), statsmodels (OLS with
//! classical and HAC covariance, f_test, wald_test), scikit-learn (MAPE), scipy's normal and t tails and numpy, computed from the published definitions on
//! seeded series by `scripts/fixtures/eval_fixtures.py` (versions recorded in the JSON).
//! Every number agrees to a relative 1e-10.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_eval::{
    akaike_weights, breaches, exp_mse_weights, inverse_mse_weights, DieboldMariano, Loss,
    MincerZarnowitz, MzCovariance, PriceErrors, VarBacktest, VarianceLosses,
};
use serde_json::Value;

fn fixtures() -> Value {
    let fx: Value = serde_json::from_str(include_str!("fixtures/eval.json")).unwrap();
    assert!(fx["meta"]["command"]
        .as_str()
        .unwrap()
        .contains("eval_fixtures.py"));
    fx
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn opts(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

/// |got − want| ≤ 1e-10·max(|want|, 1e-8).
fn check(what: &str, got: f64, want: f64) {
    let tol = 1e-10 * want.abs().max(1e-8);
    assert!(
        (got - want).abs() <= tol,
        "{what}: ours {got:.16e} vs reference {want:.16e}"
    );
}

fn field(case: &Value, key: &str) -> f64 {
    case[key].as_f64().unwrap()
}

#[test]
fn var_backtests_match_reference() {
    let fx = fixtures();
    let cases = fx["var_backtests"].as_object().unwrap();
    assert!(cases.len() >= 10);
    for (name, case) in cases {
        let hits: Vec<bool> = case["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_i64().unwrap() == 1)
            .collect();
        if case.get("returns").is_some() {
            let built = breaches(&nums(&case["returns"]), &nums(&case["var"])).unwrap();
            assert_eq!(built, hits, "{name}: breach series");
        }
        let ours = VarBacktest::from_breaches(&hits, field(case, "coverage")).unwrap();
        assert_eq!(ours.n as u64, case["n"].as_u64().unwrap(), "{name}");
        assert_eq!(
            ours.breaches as u64,
            case["breaches"].as_u64().unwrap(),
            "{name}"
        );
        let t: Vec<Vec<usize>> = serde_json::from_value(case["transitions"].clone()).unwrap();
        assert_eq!(
            ours.transitions,
            [[t[0][0], t[0][1]], [t[1][0], t[1][1]]],
            "{name}"
        );
        for (key, got) in [
            ("lr_uc", ours.lr_uc),
            ("p_uc", ours.p_uc),
            ("lr_ind", ours.lr_ind),
            ("p_ind", ours.p_ind),
            ("lr_cc", ours.lr_cc),
            ("p_cc", ours.p_cc),
        ] {
            check(&format!("{name}/{key}"), got, field(case, key));
        }
    }
}

#[test]
fn variance_losses_and_mincer_zarnowitz_match_reference() {
    let fx = fixtures();
    let cases = fx["variance_forecasts"].as_object().unwrap();
    assert!(cases.len() >= 4);
    for (name, case) in cases {
        let f = nums(&case["forecast"]);
        let a = nums(&case["realized"]);
        let l = VarianceLosses::compute(&f, &a).unwrap();
        let want = &case["losses"];
        assert_eq!(l.n as u64, want["n"].as_u64().unwrap(), "{name}");
        assert_eq!(
            l.missing as u64,
            want["missing"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            l.qlike_skipped as u64,
            want["qlike_skipped"].as_u64().unwrap(),
            "{name}"
        );
        for (key, got) in [
            ("mse", l.mse),
            ("mae", l.mae),
            ("rmse", l.rmse),
            ("qlike", l.qlike),
            ("correlation", l.correlation),
        ] {
            check(&format!("{name}/{key}"), got, field(want, key));
        }
        let lags = case["hac_lags"].as_u64().unwrap() as usize;
        for (key, cov) in [
            ("mincer_zarnowitz", MzCovariance::Classical),
            ("mincer_zarnowitz_hac", MzCovariance::NeweyWest { lags }),
        ] {
            let mz = MincerZarnowitz::fit_with(&f, &a, cov).unwrap();
            let want = &case[key];
            assert_eq!(mz.n as u64, want["n"].as_u64().unwrap(), "{name}");
            for (stat, got) in [
                ("a", mz.a),
                ("b", mz.b),
                ("se_a", mz.se_a),
                ("se_b", mz.se_b),
                ("r2", mz.r2),
                ("f_stat", mz.f_stat),
                ("f_pvalue", mz.f_pvalue),
                ("wald", mz.wald),
                ("wald_pvalue", mz.wald_pvalue),
            ] {
                check(&format!("{name}/{key}/{stat}"), got, field(want, stat));
            }
        }
    }
}

#[test]
fn price_errors_match_reference() {
    let fx = fixtures();
    let case = &fx["price_forecasts"]["random_walk"];
    let e = PriceErrors::compute(&nums(&case["forecast"]), &nums(&case["actual"])).unwrap();
    check("mape", e.mape, field(case, "mape"));
    check("smape", e.smape, field(case, "smape"));
}

#[test]
fn ensemble_weights_match_reference() {
    let fx = fixtures();
    let w = &fx["weights"];
    for (key, got) in [
        ("aic_weights", akaike_weights(&opts(&w["aic"])).unwrap()),
        (
            "exp_mse_weights",
            exp_mse_weights(&opts(&w["mse"])).unwrap(),
        ),
        (
            "inverse_mse_weights",
            inverse_mse_weights(&opts(&w["mse"])).unwrap(),
        ),
    ] {
        let want = nums(&w[key]);
        assert_eq!(got.len(), want.len());
        for (i, (g, e)) in got.iter().zip(&want).enumerate() {
            check(&format!("{key}[{i}]"), *g, *e);
        }
    }
}

#[test]
fn diebold_mariano_matches_reference() {
    let fx = fixtures();
    let dm = &fx["diebold_mariano"];
    let actual = nums(&dm["actual"]);
    let cases = dm["cases"].as_object().unwrap();
    assert!(cases.len() >= 8);
    for (name, case) in cases {
        let f1 = nums(&dm["forecasts"][case["forecast_1"].as_str().unwrap()]);
        let f2 = nums(&dm["forecasts"][case["forecast_2"].as_str().unwrap()]);
        let loss = match case["loss"].as_str().unwrap() {
            "squared" => Loss::Squared,
            "qlike" => Loss::Qlike,
            other => panic!("unknown loss {other}"),
        };
        let h = case["h"].as_u64().unwrap() as usize;
        let t = DieboldMariano::compare(&f1, &f2, &actual, loss, h).unwrap();
        assert_eq!(t.n as u64, case["n"].as_u64().unwrap(), "{name}");
        for (key, got) in [
            ("mean_diff", t.mean_diff),
            ("dm", t.dm),
            ("p_value", t.p_value),
            ("hln", t.hln),
            ("hln_p_value", t.hln_p_value),
        ] {
            check(&format!("{name}/{key}"), got, field(case, key));
        }
    }
}
