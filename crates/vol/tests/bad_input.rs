//! Bad input gives a typed error naming what and where — never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{
    fit, forecast_at, loglikelihood_at, simulate_spec, FitError, FitOptions, FitWarning,
    ForecastOptions, GarchSpec, MeanSpec, VolKind,
};

fn series() -> Vec<f64> {
    simulate_spec(
        &GarchSpec::default(),
        &[0.05, 0.02, 0.08, 0.9],
        1000,
        200,
        3,
    )
    .unwrap()
    .y
}

#[test]
fn non_finite_values_are_reported_with_their_index() {
    let mut y = series();
    y[17] = f64::NAN;
    let err = fit(&y, &GarchSpec::default(), &FitOptions::default()).unwrap_err();
    assert!(
        matches!(err, FitError::NonFinite { index: 17, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("index 17"));
    y[17] = f64::INFINITY;
    y[3] = f64::NEG_INFINITY;
    assert!(matches!(
        fit(&y, &GarchSpec::default(), &FitOptions::default()),
        Err(FitError::NonFinite { index: 3, .. })
    ));
}

#[test]
fn too_few_observations_say_how_many_are_needed() {
    let y = series()[..12].to_vec();
    let err = fit(&y, &GarchSpec::default(), &FitOptions::default()).unwrap_err();
    match &err {
        FitError::TooFewObservations { got, needed, .. } => {
            assert_eq!(*got, 12);
            assert_eq!(*needed, 20);
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("need at least 20"));
}

#[test]
fn constant_series_is_rejected() {
    let y = vec![0.5; 300];
    assert!(matches!(
        fit(&y, &GarchSpec::default(), &FitOptions::default()),
        Err(FitError::ConstantSeries { .. })
    ));
}

#[test]
fn invalid_specs_are_rejected_with_a_reason() {
    let y = series();
    let no_arch = GarchSpec {
        p: 0,
        o: 0,
        q: 1,
        ..GarchSpec::default()
    };
    let err = fit(&y, &no_arch, &FitOptions::default()).unwrap_err();
    assert!(
        matches!(err, FitError::InvalidSpec { .. }) && err.to_string().contains("p or o"),
        "{err}"
    );
    let garch_with_o = GarchSpec {
        o: 1,
        ..GarchSpec::default()
    };
    assert!(matches!(
        fit(&y, &garch_with_o, &FitOptions::default()),
        Err(FitError::InvalidSpec { .. })
    ));
    let gjr_without_o = GarchSpec {
        vol: VolKind::Gjr,
        ..GarchSpec::default()
    };
    assert!(matches!(
        fit(&y, &gjr_without_o, &FitOptions::default()),
        Err(FitError::InvalidSpec { .. })
    ));
}

#[test]
fn wrong_parameters_and_requests_are_errors() {
    let y = series();
    let spec = GarchSpec::default();
    let err = loglikelihood_at(&y, &spec, &[0.1, 0.2]).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected 4 parameters (mu, omega, alpha[1], beta[1])"),
        "{err}"
    );
    let t = GarchSpec {
        dist: af_vol::DistKind::StudentsT,
        ..spec
    };
    assert!(matches!(
        loglikelihood_at(&y, &t, &[0.0, 0.1, 0.1, 0.8, 1.5]),
        Err(FitError::InvalidParams { .. })
    ));
    assert!(matches!(
        forecast_at(
            &y,
            &spec,
            &[0.0, 0.1, 0.1, 0.8],
            0,
            &ForecastOptions::default()
        ),
        Err(FitError::InvalidRequest(_))
    ));
    let eg = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        ..spec
    };
    let err = forecast_at(
        &y,
        &eg,
        &[0.0, 0.0, 0.1, 0.0, 0.9],
        5,
        &ForecastOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("Simulation"), "{err}");
    let res = fit(&y, &spec, &FitOptions::default()).unwrap();
    assert!(matches!(
        res.value_at_risk(&[1.5], 1),
        Err(FitError::InvalidRequest(_))
    ));
    assert!(matches!(
        res.expected_shortfall(&[0.0], 1),
        Err(FitError::InvalidRequest(_))
    ));
    assert!(matches!(
        simulate_spec(&spec, &[0.0, 0.1, 0.1, 0.8], 0, 10, 1),
        Err(FitError::InvalidRequest(_))
    ));
}

#[test]
fn absurd_scale_warns_and_never_panics() {
    let y: Vec<f64> = series().iter().map(|v| v * 1e6).collect();
    let res = fit(&y, &GarchSpec::default(), &FitOptions::default());
    match res {
        Ok(r) => {
            assert!(
                r.warnings
                    .iter()
                    .any(|w| matches!(w, FitWarning::DataScale { .. })),
                "{:?}",
                r.warnings
            );
            assert!(r.loglikelihood.is_finite());
        }
        Err(e) => assert!(matches!(e, FitError::Optimizer { .. }), "{e}"),
    }
    let small: Vec<f64> = series().iter().map(|v| v / 100.0).collect();
    let r = fit(
        &small,
        &GarchSpec {
            mean: MeanSpec::Zero,
            ..GarchSpec::default()
        },
        &FitOptions::default(),
    )
    .unwrap();
    assert!(r.warnings.iter().any(|w| matches!(w, FitWarning::DataScale { rescale, .. } if *rescale == 10.0 || *rescale == 100.0)));
}
