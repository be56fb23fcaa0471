//! Fits N simulated EGARCH(1,1,1) series of 2,500 returns, one thread, and prints the time per
//! fit and the optimizer's evaluations — a driver for profilers (`valgrind --tool=callgrind`).
//! `cargo run --release -p af-vol --example egarch_loop -- [N] [se|nose] [normal|t]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, GarchSpec, VolKind};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).map_or(20, |s| s.parse().unwrap());
    let std_errors = args.get(2).map_or("se", String::as_str) == "se";
    let (dist, shape) = match args.get(3).map_or("normal", String::as_str) {
        "t" => (DistKind::StudentsT, vec![8.0]),
        _ => (DistKind::Normal, vec![]),
    };
    let spec = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        dist,
        ..GarchSpec::default()
    };
    let mut truth = vec![0.05, 0.0, 0.15, -0.08, 0.95];
    truth.extend(shape);
    let series: Vec<Vec<f64>> = (0..n)
        .map(|seed| simulate_spec(&spec, &truth, 2500, 500, seed).unwrap().y)
        .collect();
    let tol = std::env::var("TOL").map_or(1e-10, |s| s.parse().unwrap());
    let opts = FitOptions {
        std_errors,
        tol,
        ..FitOptions::default()
    };
    let start = Instant::now();
    let (mut ll, mut evals) = (0.0, 0);
    for y in &series {
        let res = fit(y, &spec, &opts).unwrap();
        ll += res.loglikelihood;
        evals += res.iterations;
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "{spec}: {n} fits, {:.3} ms per fit, {:.1} evaluations per fit, sum ll {ll:.6}",
        per * 1e3,
        evals as f64 / n as f64
    );
}
