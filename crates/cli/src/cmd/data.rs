//! `alphafactory data …` — generate a synthetic universe, check a file, convert formats.

use std::path::{Path, PathBuf};
use std::time::Instant;

use af_data::synthetic::{generate, SyntheticConfig};
use af_data::{check_file, read_panel, write_long, write_wide, CheckOptions, ReadOptions};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

/// `alphafactory data` subcommands.
#[derive(Debug, Subcommand)]
pub enum DataCmd {
    /// Generate a synthetic universe (PRODUCT D2): GARCH volatility with shocks, a market factor,
    /// calendar effects, alternative data, sectors and industries. Deterministic for a seed.
    Generate(GenerateArgs),
    /// Print a data-quality report: rows, assets, date range, missing values, outliers, suspected
    /// splits, gaps and every repair a lenient load would make. Exits with status 2 when rows had
    /// to be repaired (duplicates, invalid prices or volumes, unsorted dates); outliers, suspected
    /// splits and gaps are reported for a person to judge and do not change the status.
    Check(CheckArgs),
    /// Convert between CSV and Parquet, long and wide layouts (chosen by extension and --field).
    Convert(ConvertArgs),
}

/// Arguments of `data generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of assets (≤ 5 uses AAPL, GOOGL, MSFT, TSLA, SPY).
    #[arg(long, default_value_t = 5)]
    pub assets: usize,
    /// Number of business days (default: 2020-01-01 through 2024-12-31).
    #[arg(long)]
    pub days: Option<usize>,
    /// First calendar day (YYYY-MM-DD).
    #[arg(long, default_value = "2020-01-01")]
    pub start: NaiveDate,
    /// Random seed: the same seed gives the same bits, whatever the thread count.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output file, long format (`.csv` or `.parquet`).
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `data check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file to check (long or wide; CSV or Parquet).
    pub file: PathBuf,
    /// Robust z-score above which a return counts as an outlier.
    #[arg(long, default_value_t = 5.0)]
    pub z: f64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `data convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input file (long or wide; CSV or Parquet).
    pub input: PathBuf,
    /// Output file (`.csv` or `.parquet`).
    pub output: PathBuf,
    /// Write WIDE, one column per asset, holding this field (default: long, all fields).
    #[arg(long)]
    pub field: Option<String>,
}

/// Run a `data` subcommand.
pub fn run(cmd: DataCmd) -> Result<()> {
    match cmd {
        DataCmd::Generate(a) => {
            let cfg = SyntheticConfig {
                assets: a.assets,
                days: a.days,
                start: a.start,
                seed: a.seed,
                ..SyntheticConfig::default()
            };
            generate_to(&cfg, &a.out)?;
            Ok(())
        }
        DataCmd::Check(a) => {
            let report = check(&a.file, a.z)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            if report.repairs.total() > 0 {
                std::process::exit(2);
            }
            Ok(())
        }
        DataCmd::Convert(a) => {
            let loaded = read_panel(&a.input, &ReadOptions::default())
                .with_context(|| format!("reading {}", a.input.display()))?;
            match &a.field {
                Some(f) => write_wide(&loaded.panel, f, &a.output)?,
                None => write_long(&loaded.panel, &a.output)?,
            }
            eprintln!(
                "wrote {} ({} dates × {} assets)",
                a.output.display(),
                loaded.panel.n_dates(),
                loaded.panel.n_assets()
            );
            Ok(())
        }
    }
}

/// Generate a universe and write it (long format), reporting size and time on stderr.
pub fn generate_to(cfg: &SyntheticConfig, out: &Path) -> Result<af_core::Panel> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let t0 = Instant::now();
    let panel = generate(cfg)?;
    let generated = t0.elapsed();
    write_long(&panel, out).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "generated {} assets × {} days (seed {}) in {:.2}s, wrote {} in {:.2}s",
        panel.n_assets(),
        panel.n_dates(),
        cfg.seed,
        generated.as_secs_f64(),
        out.display(),
        (t0.elapsed() - generated).as_secs_f64()
    );
    Ok(panel)
}

/// Quality report of a file.
pub fn check(file: &Path, z: f64) -> Result<af_data::QualityReport> {
    if !(z > 0.0) {
        bail!("--z must be positive, got {z}");
    }
    let opts = CheckOptions {
        z_threshold: z,
        ..CheckOptions::default()
    };
    check_file(file, &opts).with_context(|| format!("checking {}", file.display()))
}
