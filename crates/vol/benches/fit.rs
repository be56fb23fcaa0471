//! Time of one fit on 2,500 simulated returns (percent scale), one thread.
//!
//! Measures `af_vol::fit` end to end — starting-value grid, SLSQP with analytic gradients, and
//! (in the `+se` rows) the Hessian (analytic for GARCH/GJR, differenced gradients for EGARCH)
//! and robust covariance — for GARCH(1,1) normal / t / skew-t, GJR(1,1,1) t and EGARCH(1,1,1)
//! normal. The series are simulated from the same model
//! with seed 1. Run: `cargo bench -p af-vol --bench fit`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, GarchSpec, VolKind};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn cases() -> Vec<(&'static str, GarchSpec, Vec<f64>)> {
    let g = GarchSpec::default();
    vec![
        ("garch11_normal", g, vec![0.05, 0.02, 0.08, 0.9]),
        (
            "garch11_t",
            GarchSpec {
                dist: DistKind::StudentsT,
                ..g
            },
            vec![0.05, 0.02, 0.08, 0.9, 6.0],
        ),
        (
            "garch11_skewt",
            GarchSpec {
                dist: DistKind::SkewStudent,
                ..g
            },
            vec![0.05, 0.02, 0.08, 0.9, 6.0, -0.1],
        ),
        (
            "gjr111_t",
            GarchSpec {
                vol: VolKind::Gjr,
                o: 1,
                dist: DistKind::StudentsT,
                ..g
            },
            vec![0.05, 0.02, 0.04, 0.08, 0.88, 6.0],
        ),
        (
            "egarch111_normal",
            GarchSpec {
                vol: VolKind::Egarch,
                o: 1,
                ..g
            },
            vec![0.05, 0.0, 0.15, -0.08, 0.95],
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit_2500");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    for (name, spec, truth) in cases() {
        let y = simulate_spec(&spec, &truth, 2500, 500, 1).unwrap().y;
        let no_se = FitOptions {
            std_errors: false,
            ..FitOptions::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| fit(black_box(&y), &spec, &no_se).unwrap())
        });
        let with_se = FitOptions::default();
        group.bench_function(format!("{name}+se"), |b| {
            b.iter(|| fit(black_box(&y), &spec, &with_se).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
