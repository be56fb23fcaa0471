//! The af_vol adapter: forecasts at the first test day equal the fitted model's own
//! end-of-sample forecast and VaR; later origins use only the data before them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_factory::{Fitter, ModelSpec, VolFitter};
use af_vol::{fit, DistKind, ForecastOptions, GarchSpec, MeanSpec, VolKind};

fn simulated(n: usize) -> Vec<f64> {
    let params = [0.05, 0.02, 0.08, 0.9];
    af_vol::simulate_spec(&GarchSpec::default(), &params, n, 500, 11)
        .unwrap()
        .y
}

/// The factory's one-day VaR at the end of the training sample is `garch fit`'s (the CLI's
/// `forecast_and_risk` on the same fit) bit for bit, for each process, distribution and mean.
#[test]
fn end_of_sample_var_is_garch_fits_bit_for_bit() {
    let y = simulated(1_000);
    let levels = [0.01, 0.025, 0.05, 0.1];
    let cases = [
        (VolKind::Garch, 0, DistKind::Normal, MeanSpec::Constant),
        (VolKind::Garch, 0, DistKind::StudentsT, MeanSpec::Zero),
        (VolKind::Gjr, 1, DistKind::SkewStudent, MeanSpec::Constant),
        (VolKind::Garch, 0, DistKind::Ged, MeanSpec::Ar { lags: 1 }),
        (VolKind::Egarch, 1, DistKind::Normal, MeanSpec::Constant),
    ];
    for (vol, o, dist, mean) in cases {
        let spec = GarchSpec {
            vol,
            o,
            dist,
            mean,
            ..GarchSpec::default()
        };
        let fitted = VolFitter::default()
            .fit(&ModelSpec::Garch(spec), &y, 3)
            .unwrap();
        // Horizon 5 too: EGARCH then forecasts by simulation, whose h = 1 is still exact.
        let fc = fitted
            .forecast(&y, y.len()..y.len() + 1, &[1, 5], &levels)
            .unwrap();
        let own = fit(&y, &spec, &VolFitter::default().fit_options).unwrap();
        let cli = own
            .forecast_and_risk(1, &ForecastOptions::default(), &levels)
            .unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&fc[0].value_at_risk),
            bits(&cli.var),
            "{spec}: factory {:?} vs garch fit {:?}",
            fc[0].value_at_risk,
            cli.var
        );
        assert_eq!(
            fc[0].variance[0].to_bits(),
            cli.variance[0].0.to_bits(),
            "{spec}"
        );
        assert!(cli.var.iter().all(|v| v.is_finite() && *v > 0.0), "{spec}");
    }
}

#[test]
fn first_origin_matches_end_of_sample_forecast_and_var() {
    let y = simulated(1_100);
    let train = &y[..1_000];
    for vol in [VolKind::Garch, VolKind::Gjr] {
        let spec = GarchSpec {
            vol,
            o: usize::from(vol == VolKind::Gjr),
            ..GarchSpec::default()
        };
        let fitted = VolFitter::default()
            .fit(&ModelSpec::Garch(spec), train, 1)
            .unwrap();
        let fc = fitted
            .forecast(&y[..1_009], 1_000..1_010, &[1, 5], &[0.01, 0.05])
            .unwrap();
        assert_eq!(fc.len(), 10);

        let own = fit(train, &spec, &VolFitter::default().fit_options).unwrap();
        let path = own.forecast(5, &ForecastOptions::default()).unwrap();
        let five: f64 = path.iter().map(|v| v.0).sum();
        let var = own.value_at_risk(&[0.01, 0.05], 1).unwrap();
        let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
        assert!(
            rel(fc[0].variance[0], path[0].0) < 1e-6,
            "{vol:?} {} vs {}",
            fc[0].variance[0],
            path[0].0
        );
        assert!(rel(fc[0].variance[1], five) < 1e-6);
        assert!(
            rel(fc[0].value_at_risk[0], var[0]) < 1e-6,
            "{} vs {}",
            fc[0].value_at_risk[0],
            var[0]
        );
        assert!(rel(fc[0].value_at_risk[1], var[1]) < 1e-6);
        // A later origin depends only on the data before it: changing the future changes nothing.
        let mut future = y[..1_009].to_vec();
        future[1_005] *= 10.0;
        let fc2 = fitted
            .forecast(&future, 1_000..1_010, &[1, 5], &[0.01, 0.05])
            .unwrap();
        assert_eq!(fc[..6], fc2[..6]);
        assert_ne!(fc[6], fc2[6]);
    }
}

#[test]
fn a_failed_fit_is_a_reason_not_a_panic() {
    let e = VolFitter::default()
        .fit(&ModelSpec::Garch(GarchSpec::default()), &[0.5; 300], 1)
        .err()
        .unwrap();
    assert_eq!(e.kind, "constant_series", "{e:?}");
    let e = VolFitter::default()
        .fit(
            &ModelSpec::Garch(GarchSpec::default()),
            &[0.1, -0.2, 0.3],
            1,
        )
        .err()
        .unwrap();
    assert_eq!(e.kind, "insufficient_data", "{e:?}");
}
