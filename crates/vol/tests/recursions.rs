//! Equivalences and properties of the variance recursions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::recursions::{egarch, egarch_grad, power_garch, power_garch_grad, Orders};
use af_vol::{forecast_at, simulate_spec, DistKind, ForecastOptions, GarchSpec, MeanSpec, VolKind};
use proptest::prelude::*;

fn resids(n: usize, seed: u64) -> Vec<f64> {
    simulate_spec(&GarchSpec::default(), &[0.0, 0.05, 0.1, 0.85], n, 50, seed)
        .unwrap()
        .y
}

fn open_bounds(n: usize) -> (Vec<f64>, Vec<f64>) {
    (vec![1e-12; n], vec![1e12; n])
}

#[test]
fn fast_recursion_matches_naive_twin() {
    let e = resids(500, 1);
    let n = e.len();
    let (lo, hi) = open_bounds(n);
    let ord = Orders { p: 2, o: 1, q: 2 };
    let theta = [0.02, 0.05, 0.03, 0.04, 0.5, 0.3];
    for power in [2.0, 1.0] {
        let mut naive = vec![0.0; n];
        power_garch(&theta, &e, power, ord, 0.9, &lo, &hi, &mut naive);
        let (mut fast, mut ds) = (vec![0.0; n], vec![0.0; n * 7]);
        let x = vec![1.0; n];
        power_garch_grad(
            &theta,
            &e,
            &x,
            1,
            power,
            ord,
            0.9,
            &[0.0],
            &lo,
            &hi,
            &mut fast,
            &mut ds,
        );
        for t in 0..n {
            assert!(
                (naive[t] - fast[t]).abs() <= 1e-13 * naive[t],
                "power {power} t {t}"
            );
        }
    }
    let theta = [0.01, 0.12, 0.05, -0.06, 0.6, 0.3];
    let mut naive = vec![0.0; n];
    egarch(&theta, &e, ord, -0.1, &lo, &hi, &mut naive);
    let (mut s2, mut h, mut dh, mut z, mut dz) = (
        vec![0.0; n],
        vec![0.0; n],
        vec![0.0; n * 7],
        vec![0.0; n],
        vec![0.0; n * 7],
    );
    let x = vec![1.0; n];
    egarch_grad(
        &theta,
        &e,
        &x,
        1,
        ord,
        -0.1,
        &[0.0],
        &lo,
        &hi,
        &mut s2,
        &mut h,
        &mut dh,
        &mut z,
        &mut dz,
    );
    for t in 0..n {
        assert!((naive[t] - s2[t]).abs() <= 1e-12 * naive[t], "egarch t {t}");
    }
}

#[test]
fn one_garch_step_by_hand() {
    // σ²_0 = ω + (α + β)·bc = 0.1 + 0.9·2 = 1.9; σ²_1 = 0.1 + 0.1·(−1)² + 0.8·1.9 = 1.72;
    // σ²_2 = 0.1 + 0.1·0.25 + 0.8·1.72 = 1.501.
    let e = [-1.0, 0.5, 2.0];
    let (lo, hi) = open_bounds(3);
    let mut s = [0.0; 3];
    power_garch(
        &[0.1, 0.1, 0.8],
        &e,
        2.0,
        Orders { p: 1, o: 0, q: 1 },
        2.0,
        &lo,
        &hi,
        &mut s,
    );
    assert!((s[0] - 1.9).abs() < 1e-15);
    assert!((s[1] - 1.72).abs() < 1e-15);
    assert!((s[2] - 1.501).abs() < 1e-15);
    // GJR adds γ·ε² only after a negative shock; pre-sample it gets γ·bc/2:
    // σ²_0 = 0.1 + 0.1·2 + 0.2·1 + 0.7·2 = 1.9; σ²_1 = 0.1 + 0.1 + 0.2 + 0.7·1.9 = 1.73.
    let mut g = [0.0; 3];
    power_garch(
        &[0.1, 0.1, 0.2, 0.7],
        &e,
        2.0,
        Orders { p: 1, o: 1, q: 1 },
        2.0,
        &lo,
        &hi,
        &mut g,
    );
    assert!((g[0] - 1.9).abs() < 1e-15);
    assert!((g[1] - 1.73).abs() < 1e-15);
}

#[test]
fn gjr_with_zero_gamma_is_garch() {
    let e = resids(300, 2);
    let n = e.len();
    let (lo, hi) = open_bounds(n);
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    power_garch(
        &[0.05, 0.1, 0.85],
        &e,
        2.0,
        Orders { p: 1, o: 0, q: 1 },
        1.2,
        &lo,
        &hi,
        &mut a,
    );
    power_garch(
        &[0.05, 0.1, 0.0, 0.85],
        &e,
        2.0,
        Orders { p: 1, o: 1, q: 1 },
        1.2,
        &lo,
        &hi,
        &mut b,
    );
    assert_eq!(a, b);
    // And through the public API: the log-likelihoods agree.
    let garch = GarchSpec::default();
    let gjr = GarchSpec {
        vol: VolKind::Gjr,
        o: 1,
        ..garch
    };
    let l1 = af_vol::loglikelihood_at(&e, &garch, &[0.01, 0.05, 0.1, 0.85]).unwrap();
    let l2 = af_vol::loglikelihood_at(&e, &gjr, &[0.01, 0.05, 0.1, 0.0, 0.85]).unwrap();
    assert!((l1 - l2).abs() < 1e-9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Any parameters, even wild ones: σ² stays ≥ its floor and finite, never NaN.
    #[test]
    fn sigma2_respects_floor_for_any_theta(
        omega in -1.0f64..10.0, alpha in -1.0f64..3.0, gamma in -2.0f64..3.0, beta in -1.0f64..1.5,
        seed in 0u64..1000,
    ) {
        let e = resids(200, seed);
        let n = e.len();
        let lo = vec![1e-6; n];
        let hi = vec![1e6; n];
        let mut s = vec![0.0; n];
        power_garch(&[omega, alpha, gamma, beta], &e, 2.0, Orders { p: 1, o: 1, q: 1 }, 1.0, &lo, &hi, &mut s);
        for v in &s {
            prop_assert!(v.is_finite() && *v >= 1e-6);
        }
        let mut s2 = vec![0.0; n];
        egarch(&[omega, alpha, gamma, beta], &e, Orders { p: 1, o: 1, q: 1 }, 0.0, &lo, &hi, &mut s2);
        for v in &s2 {
            prop_assert!(v.is_finite() && *v >= 1e-6);
        }
    }
}

#[test]
fn stationary_forecasts_converge_to_unconditional_variance() {
    let y = resids(1000, 3);
    // GARCH: ω/(1 − α − β) = 0.05/0.05 = 1; GJR: ω/(1 − α − γ/2 − β) = 0.05/0.05 = 1.
    let garch = GarchSpec::default();
    let f = forecast_at(
        &y,
        &garch,
        &[0.0, 0.05, 0.1, 0.85],
        2000,
        &ForecastOptions::default(),
    )
    .unwrap();
    assert!((f[1999].0 - 1.0).abs() < 1e-9, "{:?}", f[1999]);
    let gjr = GarchSpec {
        vol: VolKind::Gjr,
        o: 1,
        ..garch
    };
    let f = forecast_at(
        &y,
        &gjr,
        &[0.0, 0.05, 0.06, 0.08, 0.85],
        2000,
        &ForecastOptions::default(),
    )
    .unwrap();
    assert!((f[1999].0 - 1.0).abs() < 1e-9);
    // Simulation agrees with the analytic path for GARCH within Monte-Carlo error.
    let sim = ForecastOptions {
        method: af_vol::ForecastMethod::Simulation {
            paths: 20_000,
            seed: 5,
        },
    };
    let a = forecast_at(
        &y,
        &garch,
        &[0.0, 0.05, 0.1, 0.85],
        10,
        &ForecastOptions::default(),
    )
    .unwrap();
    let s = forecast_at(&y, &garch, &[0.0, 0.05, 0.1, 0.85], 10, &sim).unwrap();
    assert!((a[0].0 - s[0].0).abs() < 1e-12 * a[0].0);
    for (x, z) in a.iter().zip(&s) {
        assert!((x.0 - z.0).abs() < 0.03 * x.0, "{x:?} vs {z:?}");
    }
    // EGARCH long-horizon simulated forecast settles near its stationary level.
    let eg = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        mean: MeanSpec::Zero,
        dist: DistKind::Normal,
        ..garch
    };
    let f = forecast_at(&y, &eg, &[0.0, 0.1, 0.0, 0.9], 200, &sim).unwrap();
    let (a, b) = (f[150].0, f[199].0);
    assert!((a - b).abs() < 0.03 * b, "{a} vs {b}");
}
