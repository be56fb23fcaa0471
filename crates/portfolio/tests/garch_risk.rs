//! GARCH-based VaR/CVaR and the D·R̃·D covariance against af-vol itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_portfolio::garch_risk::{
    fit_asset_models, garch_covariance, garch_covariance_with, garch_var_cvar, AssetVolModel,
};
use af_portfolio::risk::RiskError;
use af_vol::{fit, FitOptions, ForecastOptions, GarchSpec};
use nalgebra::DMatrix;

/// A GARCH(1,1) path in daily-return units (ω = 2e-6, α = 0.08, β = 0.9).
fn path(n: usize, seed: u64) -> Vec<f64> {
    af_vol::simulate_spec(
        &GarchSpec::default(),
        &[0.0003, 2e-6, 0.08, 0.9],
        n,
        500,
        seed,
    )
    .unwrap()
    .y
}

#[test]
fn garch_var_is_af_vols_own() {
    let y = path(1000, 3);
    let (vc, sigma) = garch_var_cvar(&y, 0.95, &GarchSpec::default()).unwrap();
    let opts = FitOptions {
        std_errors: false,
        ..FitOptions::default()
    };
    let res = fit(&y, &GarchSpec::default(), &opts).unwrap();
    // two fits of the same series agree to the last few bits (af-vol's optimizer end point)
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
    assert!(close(vc.var, res.value_at_risk(&[0.05], 1).unwrap()[0]));
    assert!(close(
        vc.cvar,
        res.expected_shortfall(&[0.05], 1).unwrap()[0]
    ));
    let s2 = res.forecast(1, &ForecastOptions::default()).unwrap()[0].0;
    assert!(close(sigma, s2.sqrt()));
    // normal errors (μ from the second fit, equal to ~1e-12): VaR = −(μ + σ·Φ⁻¹(0.05)), CVaR = −(μ − σ·φ(z)/0.05)
    let mu = res.params["mu"];
    assert!((vc.var - (-(mu - 1.644_853_626_951_472_7 * sigma))).abs() < 1e-9);
    assert!((vc.cvar - (-(mu - 2.062_712_807_507_425_6 * sigma))).abs() < 1e-9);
    assert!(vc.cvar > vc.var && vc.var > 0.0);
}

#[test]
fn garch_var_errors_are_clear() {
    assert_eq!(
        garch_var_cvar(&path(300, 1), 1.5, &GarchSpec::default()),
        Err(RiskError::BadLevel(1.5))
    );
    let e = garch_var_cvar(&[0.01, -0.01, 0.02], 0.95, &GarchSpec::default()).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("GARCH") && msg.contains("3 returns"), "{msg}");
}

#[test]
fn covariance_diagonal_is_the_forecast_and_psd() {
    let (t, n) = (800, 6);
    let cols: Vec<Vec<f64>> = (0..n).map(|j| path(t, 10 + j as u64)).collect();
    // correlate the assets through a common factor
    let x = DMatrix::from_fn(t, n, |i, j| 0.7 * cols[j][i] + 0.3 * cols[0][i]);
    let g = garch_covariance(&x, &GarchSpec::default(), 0.1).unwrap();
    assert!(g.fallbacks.is_empty(), "{:?}", g.fallbacks);
    for j in 0..n {
        let col: Vec<f64> = x.column(j).iter().copied().collect();
        let res = fit(
            &col,
            &GarchSpec::default(),
            &FitOptions {
                std_errors: false,
                ..FitOptions::default()
            },
        )
        .unwrap();
        let s2 = res.forecast(1, &ForecastOptions::default()).unwrap()[0].0;
        assert!(
            (g.cov[(j, j)] - s2).abs() <= 1e-12 * s2,
            "{j}: {} vs {s2}",
            g.cov[(j, j)]
        );
        assert!((g.vol[j] - s2.sqrt()).abs() <= 1e-12 * s2.sqrt());
    }
    let eig = g.cov.clone().symmetric_eigen().eigenvalues;
    assert!(eig.iter().all(|v| *v > 0.0), "{eig:?}");
    // off-diagonal: (1 − λ)·ρ·σ_a·σ_b with ρ the sample correlation
    let (a, b) = (1, 2);
    let ca: Vec<f64> = x.column(a).iter().copied().collect();
    let cb: Vec<f64> = x.column(b).iter().copied().collect();
    let rho = af_portfolio::stats::pearson(&ca, &cb);
    let want = 0.9 * rho * g.vol[a] * g.vol[b];
    assert!((g.cov[(a, b)] - want).abs() < 1e-12 * want.abs().max(1e-12));
}

#[test]
fn failed_fit_falls_back_to_the_sample_variance() {
    let t = 400;
    let good = path(t, 21);
    // second asset: only 12 valid returns — too few for a GARCH fit
    let sparse: Vec<f64> = (0..t)
        .map(|i| {
            if i % 33 == 0 {
                0.01 * ((i % 7) as f64 - 3.0)
            } else {
                f64::NAN
            }
        })
        .collect();
    let x = DMatrix::from_fn(t, 2, |i, j| if j == 0 { good[i] } else { sparse[i] });
    let models = fit_asset_models(&x, &GarchSpec::default());
    assert!(matches!(models[0], AssetVolModel::Fitted(_)));
    assert!(matches!(models[1], AssetVolModel::Failed(_)));
    let g = garch_covariance_with(&x, &models, &GarchSpec::default(), 0.5).unwrap();
    assert_eq!(g.fallbacks.len(), 1);
    assert_eq!(g.fallbacks[0].0, 1);
    let v: Vec<f64> = sparse.iter().copied().filter(|x| x.is_finite()).collect();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
    assert!((g.vol[1] - sd).abs() < 1e-15);
    assert!(g
        .cov
        .clone()
        .symmetric_eigen()
        .eigenvalues
        .iter()
        .all(|v| *v > 0.0));
    let e = garch_covariance_with(&x, &models, &GarchSpec::default(), 0.0).unwrap_err();
    assert!(e.to_string().contains("shrinkage"), "{e}");
}
