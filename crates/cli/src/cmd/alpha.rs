//! `alphafactory alpha …`: evaluate formulaic alphas (and analyse them).

use anyhow::Result;
use clap::Subcommand;

use super::{alpha_analyze, alpha_eval};

/// The `alpha` subcommand family.
#[derive(Debug, Subcommand)]
pub enum AlphaCmd {
    /// Evaluate expressions or a library (alpha101, tech) over a panel into a long file
    /// (date, asset, alpha, value).
    Eval(alpha_eval::EvalArgs),
    /// Factor analysis (IC, rank IC, quantiles, turnover, gates, pruning) with an optional
    /// HTML tear sheet.
    Analyze(alpha_analyze::AnalyzeArgs),
}

/// Run an `alpha` subcommand.
pub fn run(cmd: AlphaCmd) -> Result<()> {
    match cmd {
        AlphaCmd::Eval(args) => alpha_eval::run(&args),
        AlphaCmd::Analyze(args) => alpha_analyze::run(&args),
    }
}
