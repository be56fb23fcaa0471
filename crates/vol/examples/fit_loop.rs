//! Fits N simulated series of 2,500 returns with one model, one thread, and prints the time per
//! fit — a driver for profilers (`valgrind --tool=callgrind`) and quick timing.
//! `cargo run --release -p af-vol --example fit_loop -- DIST [N] [se|nose] [garch|gjr] [risk]`
//! with DIST in normal|t|skewt|ged; `risk` adds what `garch fit-many` computes per series
//! (a one-step forecast, VaR and ES at 1/5/10%).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, simulate_spec, DistKind, FitOptions, ForecastOptions, GarchSpec, VolKind};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dist, shape) = match args.get(1).map_or("normal", String::as_str) {
        "t" => (DistKind::StudentsT, vec![8.0]),
        "skewt" => (DistKind::SkewStudent, vec![8.0, -0.1]),
        "ged" => (DistKind::Ged, vec![1.4]),
        _ => (DistKind::Normal, vec![]),
    };
    let n: u64 = args.get(2).map_or(20, |s| s.parse().unwrap());
    let std_errors = args.get(3).map_or("se", String::as_str) == "se";
    let gjr = args.get(4).map_or("garch", String::as_str) == "gjr";
    let risk = args.get(5).map_or("", String::as_str) == "risk";
    let spec = GarchSpec {
        dist,
        vol: if gjr { VolKind::Gjr } else { VolKind::Garch },
        o: usize::from(gjr),
        ..GarchSpec::default()
    };
    let mut truth = if gjr {
        vec![0.05, 0.02, 0.04, 0.08, 0.88]
    } else {
        vec![0.05, 0.02, 0.08, 0.9]
    };
    truth.extend(shape);
    let series: Vec<Vec<f64>> = (0..n)
        .map(|seed| simulate_spec(&spec, &truth, 2500, 500, seed).unwrap().y)
        .collect();
    let opts = FitOptions {
        std_errors,
        ..FitOptions::default()
    };
    let (start, cpu0) = (Instant::now(), cpu_ns());
    let (mut ll, mut evals) = (0.0, 0);
    for y in &series {
        let res = fit(y, &spec, &opts).unwrap();
        if risk {
            // What `garch fit-many` adds per series: a one-step forecast, VaR and ES.
            let r = res
                .forecast_and_risk(1, &ForecastOptions::default(), &[0.01, 0.05, 0.1])
                .unwrap();
            let (f, var, es) = (r.variance, r.var, r.es);
            ll += 0.0 * (f[0].0 + var[0] + es[0]);
        }
        ll += res.loglikelihood;
        evals += res.iterations;
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    let cpu = cpu_ns()
        .zip(cpu0)
        .map_or(f64::NAN, |(b, a)| (b - a) as f64 / 1e6 / n as f64);
    println!(
        "{spec}: {n} fits, {:.3} ms per fit (wall), {cpu:.3} ms per fit (CPU), \
         {:.1} optimizer evaluations per fit, sum ll {ll:.6}",
        per * 1e3,
        evals as f64 / n as f64
    );
}

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`), so that a
/// loaded machine's waiting time is not counted.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
