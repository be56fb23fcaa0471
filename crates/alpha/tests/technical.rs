//! The technical factors (`tech:*`) against direct loops written here from their textbook
//! definitions, on the fixture panel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop)]

mod common;

use af_alpha::evaluate_batch;
use af_alpha::library::resolve;

fn series(name: &str) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let panel = common::load_panel();
    let a = resolve(name).unwrap();
    let out = evaluate_batch(&panel, &[(a.name.as_str(), a.source)]).unwrap();
    let nd = panel.n_dates();
    let got = out[0].values.chunks(nd).map(<[f64]>::to_vec).collect();
    let close = panel
        .field("close")
        .unwrap()
        .chunks(nd)
        .map(<[f64]>::to_vec)
        .collect();
    (got, close)
}

fn check(name: &str, want: impl Fn(&[f64], usize) -> f64) {
    let (got, close) = series(name);
    let mut compared = 0;
    for (g, c) in got.iter().zip(&close) {
        for t in 0..c.len() {
            let w = want(c, t);
            assert_eq!(g[t].is_nan(), w.is_nan(), "{name} t={t}: {} vs {w}", g[t]);
            if !w.is_nan() {
                assert!(
                    (g[t] - w).abs() <= 1e-9 * (1.0 + w.abs()),
                    "{name} t={t}: {} vs {w}",
                    g[t]
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 5000, "{name}: only {compared} values compared");
}

fn window(c: &[f64], t: usize, d: usize) -> Option<&[f64]> {
    let w = c.get((t + 1).checked_sub(d)?..=t)?;
    (!w.iter().any(|v| v.is_nan())).then_some(w)
}

#[test]
fn momentum_and_moving_averages() {
    check("tech:mom5", |c, t| {
        if t < 5 {
            f64::NAN
        } else {
            c[t] / c[t - 5] - 1.0
        }
    });
    check("tech:sma5_20", |c, t| {
        match (window(c, t, 5), window(c, t, 20)) {
            (Some(a), Some(b)) => {
                (a.iter().sum::<f64>() / 5.0) / (b.iter().sum::<f64>() / 20.0) - 1.0
            }
            _ => f64::NAN,
        }
    });
}

#[test]
fn rsi_and_bollinger() {
    // Cutler's RSI: 100 · mean(up moves) / (mean(up) + mean(down)) over 14 changes
    check("tech:rsi14", |c, t| {
        if t < 14 {
            return f64::NAN;
        }
        let ch: Vec<f64> = (t - 13..=t).map(|i| c[i] - c[i - 1]).collect();
        if ch.iter().any(|v| v.is_nan()) {
            return f64::NAN;
        }
        let up: f64 = ch.iter().map(|v| v.max(0.0)).sum::<f64>() / 14.0;
        let down: f64 = ch.iter().map(|v| (-v).max(0.0)).sum::<f64>() / 14.0;
        100.0 * up / (up + down)
    });
    // %B = (close − (m − 2s)) / (4s), s the sample standard deviation
    check("tech:bollinger20", |c, t| match window(c, t, 20) {
        Some(w) => {
            let m = w.iter().sum::<f64>() / 20.0;
            let s = (w.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / 19.0).sqrt();
            (c[t] - (m - 2.0 * s)) / (4.0 * s)
        }
        None => f64::NAN,
    });
}

/// EMA seeded with the simple mean of the first `d` values, α = 2/(d+1); NaN input restarts.
fn ema(x: &[f64], d: usize) -> Vec<f64> {
    let a = 2.0 / (d as f64 + 1.0);
    let mut out = vec![f64::NAN; x.len()];
    let mut run = 0;
    for t in 0..x.len() {
        if x[t].is_nan() {
            run = 0;
            continue;
        }
        run += 1;
        if run == d {
            out[t] = x[t + 1 - d..=t].iter().sum::<f64>() / d as f64;
        } else if run > d {
            out[t] = a * x[t] + (1.0 - a) * out[t - 1];
        }
    }
    out
}

#[test]
fn macd_and_signal() {
    check("tech:macd", |c, t| ema(c, 12)[t] - ema(c, 26)[t]);
    check("tech:macd_signal", |c, t| {
        let line: Vec<f64> = ema(c, 12)
            .iter()
            .zip(ema(c, 26))
            .map(|(a, b)| a - b)
            .collect();
        ema(&line, 9)[t]
    });
}
