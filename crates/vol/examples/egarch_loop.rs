//! Fits EGARCH(1,1,1) (constant mean, normal) on many series of returns, one thread, and prints
//! the time per fit and the optimizer's evaluations — a driver for profilers
//! (`valgrind --tool=callgrind`) and for `scripts/bench/egarch_vs_arch.py`.
//!
//! `cargo run --release -p af-vol --example egarch_loop -- [N] [se|nose] [normal|t]` fits N
//! simulated series of 2,500; `-- --input FILE [se|nose]` fits each line of FILE (whitespace-
//! separated returns) and prints one log-likelihood per line, then the timing. With `SHOW` set in
//! the environment each fit's parameters, warnings and evaluations go to stderr.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, GarchSpec, VolKind};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let from_file = args.get(1).map(String::as_str) == Some("--input");
    let (series, rest): (Vec<Vec<f64>>, &[String]) = if from_file {
        let text = std::fs::read_to_string(&args[2]).unwrap();
        let rows = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect())
            .collect();
        (rows, &args[3..])
    } else {
        (Vec::new(), &args[1..])
    };
    let n: u64 = if from_file {
        series.len() as u64
    } else {
        rest.first().map_or(20, |s| s.parse().unwrap())
    };
    let rest = if from_file {
        rest
    } else {
        &rest[rest.len().min(1)..]
    };
    let std_errors = rest.first().map_or("se", String::as_str) == "se";
    let (dist, shape) = match rest.get(1).map_or("normal", String::as_str) {
        "t" => (DistKind::StudentsT, vec![8.0]),
        _ => (DistKind::Normal, vec![]),
    };
    let spec = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        dist,
        ..GarchSpec::default()
    };
    let series = if from_file {
        series
    } else {
        let mut truth = vec![0.05, 0.0, 0.15, -0.08, 0.95];
        truth.extend(shape);
        (0..n)
            .map(|seed| simulate_spec(&spec, &truth, 2500, 500, seed).unwrap().y)
            .collect()
    };
    let tol = std::env::var("TOL").map_or(1e-10, |s| s.parse().unwrap());
    let opts = FitOptions {
        std_errors,
        tol,
        ..FitOptions::default()
    };
    let (start, cpu0) = (Instant::now(), cpu_ns());
    let (mut ll, mut evals) = (0.0, 0);
    let mut lls = Vec::with_capacity(series.len());
    for y in &series {
        let res = fit(y, &spec, &opts).unwrap();
        ll += res.loglikelihood;
        lls.push(res.loglikelihood);
        if std::env::var("SHOW").is_ok() {
            eprintln!(
                "{:?} {:?} {:?}",
                res.param_vec(),
                res.warnings,
                res.iterations
            );
        }
        evals += res.iterations;
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    let cpu_per = cpu_ns()
        .zip(cpu0)
        .map(|(b, a)| (b - a) as f64 * 1e-9 / n as f64);
    if from_file {
        for l in &lls {
            println!("{l:.12}");
        }
    }
    println!(
        "{spec}: {n} fits, {:.3} ms per fit, {:.3} ms CPU per fit, {:.1} evaluations per fit, sum ll {ll:.6}",
        per * 1e3,
        cpu_per.unwrap_or(f64::NAN) * 1e3,
        evals as f64 / n as f64
    );
}

/// CPU time of this thread in ns (Linux `/proc/thread-self/schedstat`), if readable.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
