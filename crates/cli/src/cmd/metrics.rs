//! `alphafactory metrics` — performance statistics of a return series, named and defined as in
//! empyrical (see `af_portfolio::metrics`).

use std::path::{Path, PathBuf};

use af_core::Panel;
use af_data::{read_wide, WideOptions};
use af_portfolio::PerformanceReport;
use anyhow::{bail, Context, Result};
use clap::Args;

/// Arguments of `alphafactory metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// CSV or Parquet file with a `date` column and a column of periodic simple returns.
    #[arg(long)]
    returns: PathBuf,
    /// Column of `--returns` to use (default: the only or first non-date column).
    #[arg(long)]
    column: Option<String>,
    /// Benchmark returns (same layout); aligned to the strategy by date (dates in both files).
    #[arg(long)]
    benchmark: Option<PathBuf>,
    /// Column of `--benchmark` to use (default: its first non-date column).
    #[arg(long)]
    benchmark_column: Option<String>,
    /// Risk-free rate per period.
    #[arg(long, default_value_t = 0.0)]
    risk_free: f64,
    /// Periods per year (252 daily, 52 weekly, 12 monthly).
    #[arg(long, default_value_t = 252.0)]
    periods_per_year: f64,
    /// Print one JSON object (keys named as empyrical's functions).
    #[arg(long)]
    json: bool,
}

fn load(
    path: &Path,
    column: Option<&str>,
) -> Result<(Vec<chrono::NaiveDateTime>, Vec<f64>, String)> {
    let panel: Panel = read_wide(path, &WideOptions::default())
        .with_context(|| format!("reading returns from {}", path.display()))?;
    let idx = match column {
        Some(c) => panel
            .assets()
            .iter()
            .position(|a| a.eq_ignore_ascii_case(c))
            .with_context(|| {
                format!(
                    "{}: no column `{c}`; columns are: {}",
                    path.display(),
                    panel.assets().join(", ")
                )
            })?,
        None if panel.n_assets() == 0 => bail!("{}: no return column found", path.display()),
        None => 0,
    };
    let values = panel.series("value", idx)?.to_vec();
    Ok((panel.dates().to_vec(), values, panel.assets()[idx].clone()))
}

/// Run `alphafactory metrics`.
pub fn run(args: &MetricsArgs) -> Result<()> {
    let (dates, mut r, name) = load(&args.returns, args.column.as_deref())?;
    let mut bench = None;
    if let Some(path) = &args.benchmark {
        let (bdates, b, _) = load(path, args.benchmark_column.as_deref())?;
        let mut aligned_r = Vec::with_capacity(r.len());
        let mut aligned_b = Vec::with_capacity(r.len());
        let mut j = 0;
        for (i, d) in dates.iter().enumerate() {
            while j < bdates.len() && bdates[j] < *d {
                j += 1;
            }
            if j < bdates.len() && bdates[j] == *d {
                aligned_r.push(r[i]);
                aligned_b.push(b[j]);
            }
        }
        if aligned_r.is_empty() {
            bail!("the returns and the benchmark share no date");
        }
        r = aligned_r;
        bench = Some(aligned_b);
    }
    let report =
        PerformanceReport::compute(&r, bench.as_deref(), args.risk_free, args.periods_per_year)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("Performance of `{name}` over {} periods", report.nobs);
    println!("{:-<44}", "");
    for (k, v) in &report.metrics {
        println!("{k:<28}{:>16}", fmt_value(*v));
    }
    Ok(())
}

fn fmt_value(v: f64) -> String {
    if v.is_nan() {
        "n/a".to_string()
    } else {
        format!("{v:.6}")
    }
}
