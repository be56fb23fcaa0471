//! `alphafactory` — train, evaluate and combine thousands of time-series and alpha models.

mod cmd;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

/// Train, evaluate and combine thousands of volatility and alpha models, honestly out of sample.
#[derive(Debug, Parser)]
#[command(
    name = "alphafactory",
    version,
    about = "Train, evaluate and combine thousands of volatility and alpha models, honestly out of sample",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the main job on embedded defaults (synthetic universe → checks → report).
    Demo(cmd::demo::DemoArgs),
    /// Market data: generate a synthetic universe, check a file, convert formats.
    #[command(subcommand)]
    Data(cmd::data::DataCmd),
    // == subcommands added by their owners below (one variant each) ==
    /// Alphas → combination → portfolio → risk → backtest → tear sheet, from one config.
    #[command(subcommand)]
    Portfolio(cmd::portfolio::PortfolioCmd),
    /// Formulaic alphas: evaluate expressions / the Alpha101 and technical libraries.
    #[command(subcommand)]
    Alpha(cmd::alpha::AlphaCmd),
    /// Performance metrics of a return series (empyrical's definitions and names).
    Metrics(cmd::metrics::MetricsArgs),
    /// Run an experiment file (universe × targets × model grid × walk-forward) into the registry.
    Run(cmd::run::RunArgs),
    /// List the runs of a registry.
    Runs(cmd::run::RunsArgs),
    /// Show one run: counts, failure breakdown, failed models with reasons.
    Show(cmd::run::ShowArgs),
    /// Merge the registries of `run --shard i/n` into one run.
    Merge(cmd::run::MergeArgs),
    /// Fit GARCH-family volatility models (one series, or every column of a wide file).
    #[command(subcommand)]
    Garch(cmd::garch::GarchCommand),
    /// Rank the variants and ensembles of a run out of sample (losses, VaR backtests, selection).
    Leaderboard(cmd::leaderboard::LeaderboardArgs),
    /// Write one self-contained HTML report of a run.
    Report(cmd::report::ReportArgs),
    /// Print shell completions for bash, zsh, fish, powershell or elvish.
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
}

fn main() {
    let cli = Cli::parse();
    if let Err(err) = run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo(args) => cmd::demo::run(&args),
        Command::Data(c) => cmd::data::run(c),
        // == dispatch lines added by their owners below ==
        Command::Portfolio(c) => cmd::portfolio::run_cmd(c),
        Command::Alpha(c) => cmd::alpha::run(c),
        Command::Metrics(args) => cmd::metrics::run(&args),
        Command::Run(args) => cmd::run::run(args),
        Command::Runs(args) => cmd::run::runs(args),
        Command::Show(args) => cmd::run::show(args),
        Command::Merge(args) => cmd::run::merge(args),
        Command::Garch(command) => cmd::garch::run(command),
        Command::Leaderboard(args) => cmd::leaderboard::run(&args),
        Command::Report(args) => cmd::report::run(&args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "alphafactory", &mut std::io::stdout());
            Ok(())
        }
    }
}
