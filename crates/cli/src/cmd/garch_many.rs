//! `garch fit-many`: every column of a wide file, fitted on a rayon pool of K threads.
//!
//! Each fit runs on one thread; results are collected in input column order, so the output is
//! identical for any K. A column that cannot be fitted (missing values inside it, too short,
//! constant, optimizer failure, even a panic inside the engine) becomes a row with its `error`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use af_vol::spec::GarchSpec;
use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;

use super::input::{self, Series};
use super::output::{self, Fitted};
use super::table;
use super::{FitManyArgs, ModelArgs};

/// One output row: a fit or the reason there is none.
#[derive(Debug)]
pub enum Row {
    /// A fitted series.
    Ok {
        /// Column name.
        series: String,
        /// The fit.
        fitted: Box<Fitted>,
    },
    /// A series that could not be fitted.
    Failed {
        /// Column name.
        series: String,
        /// Why.
        error: String,
    },
}

impl Row {
    /// The series name.
    pub fn series(&self) -> &str {
        match self {
            Row::Ok { series, .. } | Row::Failed { series, .. } => series,
        }
    }
}

/// The output formats, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Parquet,
    Csv,
    Jsonl,
}

fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "parquet" | "pq" => Ok(Format::Parquet),
        "csv" => Ok(Format::Csv),
        "jsonl" | "ndjson" => Ok(Format::Jsonl),
        _ => bail!(
            "--output {}: unknown extension {ext:?}; use .parquet, .csv or .jsonl",
            path.display()
        ),
    }
}

fn fit_row(series: &Series, spec: &GarchSpec, model: &ModelArgs) -> Row {
    let attempt = catch_unwind(AssertUnwindSafe(|| {
        input::observed(series).and_then(|y| output::fit_series(y, spec, model))
    }));
    let name = series.name.clone();
    match attempt {
        Ok(Ok(fitted)) => Row::Ok {
            series: name,
            fitted: Box::new(fitted),
        },
        Ok(Err(err)) => Row::Failed {
            series: name,
            error: format!("{err:#}"),
        },
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Row::Failed {
                series: name,
                error: format!("internal error in the engine (please report): {what}"),
            }
        }
    }
}

/// Fits every series on a pool of `threads` threads; output order = input order.
pub fn fit_all(
    series: &[Series],
    spec: &GarchSpec,
    model: &ModelArgs,
    threads: usize,
) -> Result<Vec<Row>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| anyhow!("cannot start {threads} worker threads: {e}"))?;
    Ok(pool.install(|| series.par_iter().map(|s| fit_row(s, spec, model)).collect()))
}

/// Runs `alphafactory garch fit-many`.
pub fn run(args: &FitManyArgs) -> Result<()> {
    let spec = args.model.spec()?;
    args.model.check_forecast_flags()?;
    let format = format_of(&args.output)?;
    let threads = match args.threads {
        Some(0) => bail!("--threads must be at least 1 (got 0)"),
        Some(k) => k,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let series = input::read_series(&args.input)?;
    let start = Instant::now();
    let rows = fit_all(&series, &spec, &args.model, threads)?;
    let elapsed = start.elapsed().as_secs_f64();
    let names = af_vol::param_names(&spec);
    match format {
        Format::Jsonl => table::write_jsonl(&rows, &args.model, &args.output),
        Format::Csv => table::write_csv(&rows, &names, &args.model, &args.output),
        Format::Parquet => table::write_parquet(&rows, &names, &args.model, &args.output),
    }
    .with_context(|| format!("writing {}", args.output.display()))?;
    let failed = rows
        .iter()
        .filter(|r| matches!(r, Row::Failed { .. }))
        .count();
    eprintln!(
        "{spec}: {} series in {elapsed:.2} s on {threads} thread(s) ({:.1} fits/s); wrote {}",
        rows.len(),
        rows.len() as f64 / elapsed.max(1e-9),
        args.output.display()
    );
    println!("{} ok, {failed} failed", rows.len() - failed);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn output_format_by_extension() {
        assert_eq!(format_of(Path::new("a.PARQUET")).unwrap(), Format::Parquet);
        assert_eq!(format_of(Path::new("a.csv")).unwrap(), Format::Csv);
        assert_eq!(format_of(Path::new("a.jsonl")).unwrap(), Format::Jsonl);
        let msg = format_of(Path::new("a.xlsx")).unwrap_err().to_string();
        assert!(msg.contains(".parquet, .csv or .jsonl"), "{msg}");
    }
}
