//! `alphafactory garch` — fit GARCH-family models from the command line.
//!
//! * `garch fit --input FILE [--column NAME] [model flags] [--json]` fits one series and prints
//!   arch's style of summary table, or one JSON object with `--json`.
//! * `garch fit-many --input WIDE_FILE [model flags] [--threads K] --output FILE` fits every
//!   column of a wide file on a pool of K threads (each fit single-threaded) and writes one row per
//!   series (`.parquet`, `.csv` or `.jsonl`); a series that cannot be fitted is a row with its
//!   `error`, never a crash.
//!
//! The model flags map one-to-one onto [`af_vol::spec::GarchSpec`]; the fitted values go through
//! [`af_vol::fit`], so the numbers are the engine's (checked against `arch` 8.0.0 in
//! `crates/vol/tests/arch_fixtures.rs`).

#[path = "garch_input.rs"]
mod input;
#[path = "garch_many.rs"]
mod many;
#[path = "garch_output.rs"]
mod output;
#[path = "garch_table.rs"]
mod table;

use std::path::PathBuf;

use af_vol::spec::{Backcast, CovType, DistKind, GarchSpec, MeanSpec, VolKind};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};

/// `alphafactory garch …`
#[derive(Debug, Subcommand)]
pub enum GarchCommand {
    /// Fit one series (a column of a CSV or Parquet file) and print its summary or JSON.
    Fit(FitArgs),
    /// Fit every column of a wide file in parallel; one output row per series.
    FitMany(FitManyArgs),
}

/// Arguments of `garch fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// CSV (with a header; an optional `date` column) or Parquet file; values are used as given,
    /// e.g. percent returns.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Column to fit; defaults to the only (or first) non-date column.
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// The model.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print one JSON object instead of the summary table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `garch fit-many`.
#[derive(Debug, Args)]
pub struct FitManyArgs {
    /// Wide CSV or Parquet file: one column per series (an optional `date` column).
    #[arg(long, value_name = "WIDE_FILE")]
    pub input: PathBuf,
    /// The model, the same for every series.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Number of worker threads (each fit runs on one thread); default: all cores.
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
    /// Output file: `.parquet`, `.csv` (params and s.e. flattened as `param.NAME`, `se.NAME`) or
    /// `.jsonl` (one JSON object per series, nested).
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Mean model flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeanFlag {
    /// r_t = ε_t.
    Zero,
    /// r_t = μ + ε_t.
    Constant,
    /// AR(lags) with a constant.
    Ar,
}

/// Variance process flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VolFlag {
    /// GARCH(p,q) (Bollerslev 1986).
    Garch,
    /// GJR-GARCH(p,o,q) (Glosten, Jagannathan & Runkle 1993).
    Gjr,
    /// Threshold GARCH on σ (Zakoian 1994).
    Tarch,
    /// EGARCH(p,o,q) on ln σ² (Nelson 1991).
    Egarch,
}

/// Distribution flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DistFlag {
    /// Standard normal.
    Normal,
    /// Standardized Student's t.
    T,
    /// Hansen's (1994) skewed t.
    Skewt,
    /// Generalized error distribution.
    Ged,
}

/// The model flags shared by `fit` and `fit-many`.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Mean model.
    #[arg(long, value_enum, default_value = "constant")]
    pub mean: MeanFlag,
    /// Autoregressive lags of `--mean ar`.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub lags: usize,
    /// Variance process.
    #[arg(long, value_enum, default_value = "garch")]
    pub vol: VolFlag,
    /// ARCH order (alpha lags).
    #[arg(long, default_value_t = 1)]
    pub p: usize,
    /// Asymmetric order (gamma lags); default 1 for gjr and tarch, else 0.
    #[arg(long)]
    pub o: Option<usize>,
    /// GARCH order (beta lags).
    #[arg(long, default_value_t = 1)]
    pub q: usize,
    /// Standardized error distribution.
    #[arg(long, value_enum, default_value = "normal")]
    pub dist: DistFlag,
    /// Initial variance: arch's EWMA of the first 75 squared residuals, or their sample mean.
    #[arg(long, value_enum, default_value = "ewma")]
    pub backcast: BackcastFlag,
    /// Standard errors: Bollerslev–Wooldridge sandwich (robust) or inverse Hessian (classic).
    #[arg(long, value_enum, default_value = "robust")]
    pub cov: CovFlag,
    /// Forecast horizon in steps (variance forecasts for h = 1..H).
    #[arg(long, value_name = "H", default_value_t = 1)]
    pub horizon: usize,
    /// Levels of the one-step VaR and ES (loss probabilities in (0, 1)), comma-separated.
    #[arg(
        long,
        value_name = "LEVELS",
        value_delimiter = ',',
        default_value = "0.01,0.05,0.1"
    )]
    pub var_levels: Vec<f64>,
    /// Seed of simulated forecasts (EGARCH and TARCH beyond one step have no closed form).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Backcast flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackcastFlag {
    /// Exponentially weighted (λ = 0.94) mean of the first 75 squared residuals (arch's default).
    Ewma,
    /// Sample mean of all squared residuals.
    Sample,
    /// `sample`, plus EGARCH's pre-sample shock at the mean residual (TSP's `e(0) = mean`, the
    /// published EGARCH benchmark's convention).
    SampleMeanShock,
}

/// Covariance flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CovFlag {
    /// Bollerslev–Wooldridge sandwich.
    Robust,
    /// Inverse Hessian.
    Classic,
}

impl ModelArgs {
    /// The engine's spec for these flags, after checking what clap cannot.
    pub fn spec(&self) -> Result<GarchSpec> {
        let vol = match self.vol {
            VolFlag::Garch => VolKind::Garch,
            VolFlag::Gjr => VolKind::Gjr,
            VolFlag::Tarch => VolKind::Tarch,
            VolFlag::Egarch => VolKind::Egarch,
        };
        let o = self.o.unwrap_or(match self.vol {
            VolFlag::Gjr | VolFlag::Tarch => 1,
            VolFlag::Garch | VolFlag::Egarch => 0,
        });
        if self.vol == VolFlag::Garch && o > 0 {
            bail!("--vol garch has no asymmetric terms but --o {o} was given; use --vol gjr for GJR-GARCH");
        }
        if self.p == 0 && o == 0 {
            bail!("--p 0 with --o 0 leaves no shock in the variance equation; use --p 1 or more");
        }
        let mean = match self.mean {
            MeanFlag::Zero => MeanSpec::Zero,
            MeanFlag::Constant => MeanSpec::Constant,
            MeanFlag::Ar if self.lags == 0 => {
                bail!("--mean ar needs --lags 1 or more (got --lags 0)")
            }
            MeanFlag::Ar => MeanSpec::Ar { lags: self.lags },
        };
        let dist = match self.dist {
            DistFlag::Normal => DistKind::Normal,
            DistFlag::T => DistKind::StudentsT,
            DistFlag::Skewt => DistKind::SkewStudent,
            DistFlag::Ged => DistKind::Ged,
        };
        let backcast = match self.backcast {
            BackcastFlag::Ewma => Backcast::Ewma,
            BackcastFlag::Sample => Backcast::Sample,
            BackcastFlag::SampleMeanShock => Backcast::SampleMeanShock,
        };
        Ok(GarchSpec {
            mean,
            vol,
            p: self.p,
            o,
            q: self.q,
            dist,
            backcast,
        })
    }

    /// The covariance estimator.
    pub fn cov_type(&self) -> CovType {
        match self.cov {
            CovFlag::Robust => CovType::Robust,
            CovFlag::Classic => CovType::Classic,
        }
    }

    /// Checks the forecast flags: a horizon of at least 1, VaR levels strictly inside (0, 1).
    pub fn check_forecast_flags(&self) -> Result<()> {
        if self.horizon == 0 {
            bail!("--horizon must be at least 1 (got 0)");
        }
        if let Some(bad) = self
            .var_levels
            .iter()
            .find(|l| !(l.is_finite() && **l > 0.0 && **l < 1.0))
        {
            bail!("--var-levels: {bad} is not a probability strictly between 0 and 1 (e.g. 0.01,0.05)");
        }
        Ok(())
    }
}

/// Runs `alphafactory garch …`.
pub fn run(command: GarchCommand) -> Result<()> {
    match command {
        GarchCommand::Fit(args) => fit_one(&args),
        GarchCommand::FitMany(args) => many::run(&args),
    }
}

fn fit_one(args: &FitArgs) -> Result<()> {
    let spec = args.model.spec()?;
    args.model.check_forecast_flags()?;
    let series = input::read_series(&args.input)?;
    let chosen = input::choose_column(&series, args.column.as_deref(), &args.input)?;
    let y = input::observed(chosen).with_context(|| format!("in {}", args.input.display()))?;
    let fitted = output::fit_series(y, &spec, &args.model)
        .with_context(|| format!("fitting column {} of {}", chosen.name, args.input.display()))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&output::fit_json(&fitted, &args.model))?
        );
    } else {
        print!(
            "{}",
            output::summary_text(&fitted, &chosen.name, &args.model)
        );
    }
    Ok(())
}
