//! `alphafactory report RUN --out report.html`: one self-contained HTML report of a run.

use std::path::PathBuf;

use af_board::{write_report, ReportOptions};
use anyhow::Result;
use clap::Args;

use super::leaderboard::open_existing;

/// `alphafactory report RUN`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Run id (see `alphafactory runs`).
    pub run: i64,
    /// Registry database.
    #[arg(long, default_value = "alphafactory.db")]
    pub registry: PathBuf,
    /// The HTML file to write.
    #[arg(long, default_value = "report.html")]
    pub out: PathBuf,
    /// Assets plotted in detail, comma separated (default: the first three of the run).
    #[arg(long, value_delimiter = ',')]
    pub assets: Vec<String>,
    /// Failed models listed with their reasons.
    #[arg(long, default_value_t = 50)]
    pub failures: usize,
}

/// Write the report.
pub fn run(args: &ReportArgs) -> Result<()> {
    let reg = open_existing(&args.registry)?;
    let opts = ReportOptions {
        assets: args.assets.clone(),
        max_failures: args.failures,
    };
    write_report(&reg, args.run, &args.out, &opts)?;
    println!("report written to {}", args.out.display());
    Ok(())
}
