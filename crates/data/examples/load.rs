//! Load one market-data file and print how long it took and the peak memory of the process.
//!
//! ```text
//! cargo run --release -p af-data --example load -- FILE [--repair]
//! ```
//!
//! Prints one JSON line: `{"file", "seconds", "rows", "dates", "assets", "fields", "peak_rss_mb"}`.
//! Peak RSS is `VmHWM` from `/proc/self/status` (Linux; `null` elsewhere). Used by
//! `scripts/bench/load_vs_pandas.py`.

use std::time::Instant;

use af_data::{read_panel, ReadOptions};

/// Peak resident set size in MiB, from `/proc/self/status`.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: load FILE [--repair]".into());
    };
    let opts = if args.iter().any(|a| a == "--repair") {
        ReadOptions::repair()
    } else {
        ReadOptions::default()
    };
    let start = Instant::now();
    let report = read_panel(path, &opts)?;
    let seconds = start.elapsed().as_secs_f64();
    let p = &report.panel;
    let out = serde_json::json!({
        "file": path,
        "seconds": seconds,
        "rows": report.rows,
        "dates": p.n_dates(),
        "assets": p.n_assets(),
        "fields": p.field_names().collect::<Vec<_>>(),
        "repairs": report.repairs.total(),
        "peak_rss_mb": peak_rss_mb(),
    });
    println!("{out}");
    Ok(())
}
