//! Value-at-Risk and Expected Shortfall from the fitted distribution.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, ForecastOptions, GarchSpec};

#[test]
fn normal_var_and_es_follow_the_closed_forms() {
    let spec = GarchSpec::default();
    let y = simulate_spec(&spec, &[0.05, 0.02, 0.08, 0.9], 2000, 200, 9)
        .unwrap()
        .y;
    let res = fit(&y, &spec, &FitOptions::default()).unwrap();
    let mu = res.params["mu"];
    let s1 = res.forecast(1, &ForecastOptions::default()).unwrap()[0]
        .0
        .sqrt();
    // Φ⁻¹(0.05) = −1.6448536269514722, E[Z | Z ≤ Φ⁻¹(0.05)] = −2.0627128075074 (scipy 1.x).
    let var = res.value_at_risk(&[0.05, 0.01], 1).unwrap();
    assert!((var[0] - (-mu + 1.644_853_626_951_472_2 * s1)).abs() < 1e-9);
    assert!(var[1] > var[0]);
    let es = res.expected_shortfall(&[0.05], 1).unwrap();
    assert!((es[0] - (-mu + 2.062_712_807_507_4 * s1)).abs() < 1e-8);
    // h days: −(h·μ + √(Σσ²)·q).
    let f = res.forecast(10, &ForecastOptions::default()).unwrap();
    let sum: f64 = f.iter().map(|v| v.0).sum();
    let var10 = res.value_at_risk(&[0.05], 10).unwrap();
    assert!((var10[0] - (-10.0 * mu + 1.644_853_626_951_472_2 * sum.sqrt())).abs() < 1e-9);
}

#[test]
fn fat_tailed_var_is_wider_in_the_far_tail_and_es_exceeds_var() {
    for dist in [DistKind::StudentsT, DistKind::SkewStudent, DistKind::Ged] {
        let spec = GarchSpec {
            dist,
            ..GarchSpec::default()
        };
        let truth: &[f64] = match dist {
            DistKind::SkewStudent => &[0.05, 0.02, 0.08, 0.9, 5.0, -0.1],
            DistKind::Ged => &[0.05, 0.02, 0.08, 0.9, 1.2],
            _ => &[0.05, 0.02, 0.08, 0.9, 5.0],
        };
        let y = simulate_spec(&spec, truth, 2000, 200, 4).unwrap().y;
        let res = fit(&y, &spec, &FitOptions::default()).unwrap();
        let levels = [0.001, 0.01, 0.05];
        let var = res.value_at_risk(&levels, 1).unwrap();
        let es = res.expected_shortfall(&levels, 1).unwrap();
        assert!(var[0] > var[1] && var[1] > var[2], "{dist:?} {var:?}");
        for (v, e) in var.iter().zip(&es) {
            assert!(e > v, "{dist:?}: ES {e} ≤ VaR {v}");
        }
        // Empirical check on the fitted model's own simulation: the 1% VaR of the standardized
        // shock, scaled, is exceeded about 1% of the time.
        let sim = res.simulate(200_000, 0, 1).unwrap();
        let mu = res.params["mu"];
        let q01 = (var[1] + mu)
            / res.forecast(1, &ForecastOptions::default()).unwrap()[0]
                .0
                .sqrt();
        let hits = sim.errors.iter().filter(|z| -**z > q01).count() as f64 / 200_000.0;
        assert!((hits - 0.01).abs() < 0.0015, "{dist:?} exceedance {hits}");
    }
}

#[test]
fn simulation_and_bootstrap_are_seeded_and_agree_with_analytic() {
    use af_vol::ForecastMethod;
    let spec = GarchSpec::default();
    let y = simulate_spec(&spec, &[0.05, 0.02, 0.08, 0.9], 1500, 200, 21)
        .unwrap()
        .y;
    assert_eq!(
        y,
        simulate_spec(&spec, &[0.05, 0.02, 0.08, 0.9], 1500, 200, 21)
            .unwrap()
            .y
    );
    assert_ne!(
        y,
        simulate_spec(&spec, &[0.05, 0.02, 0.08, 0.9], 1500, 200, 22)
            .unwrap()
            .y
    );
    let res = fit(&y, &spec, &FitOptions::default()).unwrap();
    let analytic = res.forecast(5, &ForecastOptions::default()).unwrap();
    for method in [
        ForecastMethod::Simulation {
            paths: 20_000,
            seed: 3,
        },
        ForecastMethod::Bootstrap {
            paths: 20_000,
            seed: 3,
        },
    ] {
        let opts = ForecastOptions { method };
        let a = res.forecast(5, &opts).unwrap();
        assert_eq!(
            a,
            res.forecast(5, &opts).unwrap(),
            "{method:?} not reproducible"
        );
        for (x, z) in analytic.iter().zip(&a) {
            assert!((x.0 - z.0).abs() < 0.03 * x.0, "{method:?}: {x:?} vs {z:?}");
        }
    }
}

/// `forecast_and_risk` (one filter pass) equals forecast + VaR + ES called apart, every variance
/// process and distribution, analytic and simulated multi-step forecasts.
#[test]
fn forecast_and_risk_equals_the_separate_calls() {
    use af_vol::{ForecastMethod, VolKind};
    let y = simulate_spec(
        &GarchSpec::default(),
        &[0.05, 0.02, 0.08, 0.9],
        1200,
        200,
        5,
    )
    .unwrap()
    .y;
    let levels = [0.01, 0.05, 0.1];
    for (vol, o) in [(VolKind::Garch, 0), (VolKind::Gjr, 1), (VolKind::Egarch, 1)] {
        for dist in [DistKind::Normal, DistKind::SkewStudent] {
            let spec = GarchSpec {
                vol,
                o,
                dist,
                ..GarchSpec::default()
            };
            let res = fit(&y, &spec, &FitOptions::default()).unwrap();
            let opts = if vol == VolKind::Egarch {
                ForecastOptions {
                    method: ForecastMethod::Simulation {
                        paths: 500,
                        seed: 3,
                    },
                }
            } else {
                ForecastOptions::default()
            };
            let report = res.forecast_and_risk(5, &opts, &levels).unwrap();
            assert_eq!(report.variance, res.forecast(5, &opts).unwrap(), "{spec}");
            assert_eq!(report.var, res.value_at_risk(&levels, 1).unwrap(), "{spec}");
            assert_eq!(
                report.es,
                res.expected_shortfall(&levels, 1).unwrap(),
                "{spec}"
            );
        }
    }
    let res = fit(&y, &GarchSpec::default(), &FitOptions::default()).unwrap();
    let err = res
        .forecast_and_risk(1, &ForecastOptions::default(), &[0.05, 1.5])
        .unwrap_err();
    assert!(err.to_string().contains("1.5"), "{err}");
}

/// Forecasts start from the residuals and variances the fit ended with: bit for bit what a fresh
/// filter pass at the estimates gives (`forecast_at`), for every process, an AR mean and a series
/// the estimator rescales internally.
#[test]
fn forecasts_from_the_fit_equal_a_fresh_filter_pass() {
    use af_vol::{forecast_at, ForecastMethod, MeanSpec, VolKind};
    let y = simulate_spec(&GarchSpec::default(), &[0.05, 0.02, 0.08, 0.9], 900, 200, 9)
        .unwrap()
        .y;
    let big: Vec<f64> = y.iter().map(|v| v * 1e4).collect();
    let cases = [
        (VolKind::Garch, 0, MeanSpec::Constant, &y),
        (VolKind::Gjr, 1, MeanSpec::Ar { lags: 2 }, &y),
        (VolKind::Tarch, 1, MeanSpec::Zero, &y),
        (VolKind::Egarch, 1, MeanSpec::Constant, &y),
        (VolKind::Garch, 0, MeanSpec::Constant, &big),
    ];
    for (vol, o, mean, series) in cases {
        let spec = GarchSpec {
            vol,
            o,
            mean,
            dist: DistKind::StudentsT,
            ..GarchSpec::default()
        };
        let res = fit(series, &spec, &FitOptions::default()).unwrap();
        let (h, opts) = if matches!(vol, VolKind::Garch | VolKind::Gjr) {
            (10, ForecastOptions::default())
        } else {
            let method = ForecastMethod::Bootstrap {
                paths: 200,
                seed: 1,
            };
            (4, ForecastOptions { method })
        };
        let ours = res.forecast(h, &opts).unwrap();
        let fresh = forecast_at(series, &spec, res.param_vec(), h, &opts).unwrap();
        let bits = |v: &[af_core::Variance]| v.iter().map(|x| x.0.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&ours), bits(&fresh), "{spec}");
    }
}

/// σ²_{T+1} is known at T: simulated and bootstrapped forecasts give it exactly at h = 1.
#[test]
fn simulated_forecasts_start_at_the_exact_one_step_variance() {
    use af_vol::{ForecastMethod, VolKind};
    let y = simulate_spec(&GarchSpec::default(), &[0.05, 0.02, 0.08, 0.9], 800, 200, 2)
        .unwrap()
        .y;
    for (vol, o) in [
        (VolKind::Garch, 0),
        (VolKind::Egarch, 1),
        (VolKind::Tarch, 1),
    ] {
        let spec = GarchSpec {
            vol,
            o,
            ..GarchSpec::default()
        };
        let res = fit(&y, &spec, &FitOptions::default()).unwrap();
        let exact = res.forecast(1, &ForecastOptions::default()).unwrap()[0].0;
        for method in [
            ForecastMethod::Simulation {
                paths: 777,
                seed: 5,
            },
            ForecastMethod::Bootstrap {
                paths: 333,
                seed: 6,
            },
        ] {
            let path = res.forecast(4, &ForecastOptions { method }).unwrap();
            assert_eq!(path[0].0.to_bits(), exact.to_bits(), "{spec} {method:?}");
            assert!(path.iter().all(|v| v.0.is_finite() && v.0 > 0.0), "{spec}");
        }
    }
}
