//! `alphafactory leaderboard RUN`: rank the variants and ensembles of a run out of sample.

use std::path::{Path, PathBuf};

use af_board::{Board, GroupBy, Metric};
use af_registry::Registry;
use anyhow::Result;
use clap::Args;

/// `alphafactory leaderboard RUN`.
#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    /// Run id (see `alphafactory runs`).
    pub run: i64,
    /// Registry database.
    #[arg(long, default_value = "alphafactory.db")]
    pub registry: PathBuf,
    /// One ranking per asset, one over all (family), or one per horizon.
    #[arg(long, default_value = "family", value_parser = clap::value_parser!(GroupByArg))]
    pub by: GroupByArg,
    /// Ranking metric: qlike, mse, mae, mz_r2, aic or bic.
    #[arg(long, default_value = "qlike", value_parser = clap::value_parser!(MetricArg))]
    pub metric: MetricArg,
    /// Keep the best N rows of each group.
    #[arg(long)]
    pub top: Option<usize>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `--by` value.
#[derive(Debug, Clone, Copy)]
pub struct GroupByArg(pub GroupBy);

impl std::str::FromStr for GroupByArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse().map(GroupByArg)
    }
}

/// `--metric` value.
#[derive(Debug, Clone, Copy)]
pub struct MetricArg(pub Metric);

impl std::str::FromStr for MetricArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse().map(MetricArg)
    }
}

/// Open a registry that must already exist.
pub fn open_existing(path: &Path) -> Result<Registry> {
    anyhow::ensure!(
        path.exists(),
        "registry {} does not exist; give --registry PATH",
        path.display()
    );
    Ok(Registry::open(path)?)
}

/// Print the leaderboard of a run.
pub fn run(args: &LeaderboardArgs) -> Result<()> {
    let reg = open_existing(&args.registry)?;
    let board = Board::compute(&reg, args.run, &[])?;
    let lb = board.leaderboard(args.by.0, args.metric.0, args.top);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&lb)?);
    } else {
        print!("{lb}");
    }
    Ok(())
}
