//! Statistical recovery: simulate with known θ and a seed, fit, the truth lies within 3 standard
//! errors on most seeds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, GarchSpec, MeanSpec, VolKind};

fn recovery_rate(spec: GarchSpec, truth: &[f64], seeds: u64, nobs: usize) -> f64 {
    let mut hits = 0usize;
    let mut total = 0usize;
    for seed in 0..seeds {
        let path = simulate_spec(&spec, truth, nobs, 500, seed).unwrap();
        let res = fit(&path.y, &spec, &FitOptions::default()).unwrap();
        assert!(res.converged, "seed {seed}: {:?}", res.warnings);
        for (i, (name, est)) in res.params.iter().enumerate() {
            let se = res.std_err[name];
            total += 1;
            if se.is_finite() && (est - truth[i]).abs() <= 3.0 * se {
                hits += 1;
            }
        }
    }
    hits as f64 / total as f64
}

#[test]
fn garch11_normal_recovers_truth() {
    let rate = recovery_rate(GarchSpec::default(), &[0.05, 0.02, 0.08, 0.9], 20, 2000);
    assert!(rate >= 0.9, "{rate}");
}

#[test]
fn gjr_t_recovers_truth() {
    let spec = GarchSpec {
        vol: VolKind::Gjr,
        o: 1,
        dist: DistKind::StudentsT,
        ..GarchSpec::default()
    };
    let rate = recovery_rate(spec, &[0.03, 0.02, 0.04, 0.08, 0.88, 7.0], 12, 2000);
    assert!(rate >= 0.9, "{rate}");
}

#[test]
fn egarch_skewt_and_tarch_ged_recover_truth() {
    let spec = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        dist: DistKind::SkewStudent,
        ..GarchSpec::default()
    };
    let rate = recovery_rate(spec, &[0.02, 0.0, 0.15, -0.08, 0.95, 8.0, -0.2], 8, 2500);
    assert!(rate >= 0.85, "{rate}");
    let spec = GarchSpec {
        vol: VolKind::Tarch,
        o: 1,
        dist: DistKind::Ged,
        mean: MeanSpec::Zero,
        ..GarchSpec::default()
    };
    let rate = recovery_rate(spec, &[0.02, 0.05, 0.08, 0.88, 1.5], 8, 2500);
    assert!(rate >= 0.85, "{rate}");
}

#[test]
fn ar1_garch_recovers_truth() {
    let spec = GarchSpec {
        mean: MeanSpec::Ar { lags: 1 },
        ..GarchSpec::default()
    };
    let rate = recovery_rate(spec, &[0.02, 0.3, 0.05, 0.1, 0.85], 8, 2000);
    assert!(rate >= 0.85, "{rate}");
    let res = fit(
        &simulate_spec(&spec, &[0.02, 0.3, 0.05, 0.1, 0.85], 600, 100, 1)
            .unwrap()
            .y,
        &spec,
        &FitOptions::default(),
    )
    .unwrap();
    assert_eq!(res.nobs, 599);
    assert!(res.conditional_volatility[0].is_nan() && res.std_resid[0].is_nan());
    assert!(res.conditional_volatility[1].is_finite());
}
