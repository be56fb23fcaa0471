//! Fits EGARCH(1,1,1) on many short simulated windows and summarizes β, convergence, warnings and
//! the 10-step simulated variance forecasts relative to the window's sample variance.
//! `cargo run --release -p af-vol --example egarch_short -- [N] [NOBS]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{
    fit, simulate_spec, DistKind, FitOptions, ForecastMethod, ForecastOptions, GarchSpec, VolKind,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).map_or(200, |s| s.parse().unwrap());
    let nobs: usize = args.get(2).map_or(250, |s| s.parse().unwrap());
    let dgp = GarchSpec {
        dist: DistKind::StudentsT,
        ..GarchSpec::default()
    };
    let spec = GarchSpec {
        vol: VolKind::Egarch,
        o: 1,
        ..GarchSpec::default()
    };
    let (mut beta_hi, mut not_conv, mut warned, mut errors, mut worst) = (0, 0, 0, 0, 0.0f64);
    let mut worst_beta = 0.0f64;
    for seed in 0..n {
        let y = simulate_spec(&dgp, &[0.05, 0.02, 0.08, 0.9, 6.0], nobs, 500, seed)
            .unwrap()
            .y;
        if let Ok(dir) = std::env::var("DUMP") {
            let text: Vec<String> = y.iter().map(|v| format!("{v:.17e}")).collect();
            std::fs::write(format!("{dir}/seed{seed}.txt"), text.join("\n")).unwrap();
        }
        let var = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
        let res = match fit(&y, &spec, &FitOptions::default()) {
            Ok(r) => r,
            Err(e) => {
                errors += 1;
                println!("seed {seed}: error {e}");
                continue;
            }
        };
        let beta = res.params["beta[1]"];
        worst_beta = worst_beta.max(beta);
        if beta > 0.999 {
            beta_hi += 1;
            if beta > 0.99989 {
                println!(
                    "seed {seed}: beta at the margin {beta} warnings {:?}",
                    res.warnings
                );
            }
        }
        if !res.converged {
            not_conv += 1;
            if std::env::var("VERBOSE").is_ok() {
                println!(
                    "seed {seed}: not converged {:?} params {:?}",
                    res.warnings,
                    res.param_vec()
                );
            }
        }
        if !res.warnings.is_empty() {
            warned += 1;
        }
        let opts = ForecastOptions {
            method: ForecastMethod::Simulation {
                paths: 1000,
                seed: 1,
            },
        };
        match res.forecast(10, &opts) {
            Ok(f) => {
                let m = f.iter().map(|v| v.0 / var).fold(0.0f64, f64::max);
                if !m.is_finite() || m > 10.0 {
                    println!(
                        "seed {seed}: beta {beta:.6} forecast/var {m:.3e} warnings {:?}",
                        res.warnings
                    );
                }
                worst = worst.max(m);
            }
            Err(e) => println!("seed {seed}: forecast error {e}"),
        }
    }
    println!("{n} windows of {nobs}: beta>0.999 {beta_hi}, max beta {worst_beta:.8}, not converged {not_conv}, with warnings {warned}, errors {errors}, worst 10-step forecast / sample variance {worst:.3e}");
}
