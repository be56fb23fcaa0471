//! `alphafactory` — train, evaluate and combine thousands of time-series and alpha models.

mod cmd;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

/// Train, evaluate and combine thousands of volatility and alpha models, honestly out of sample.
#[derive(Debug, Parser)]
#[command(name = "alphafactory", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // == subcommands added by their owners below (one variant each) ==
    /// Fit GARCH-family volatility models (one series, or every column of a wide file).
    #[command(subcommand)]
    Garch(cmd::garch::GarchCommand),
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
        // == dispatch lines added by their owners below ==
        Command::Garch(command) => cmd::garch::run(command),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "alphafactory", &mut std::io::stdout());
            Ok(())
        }
    }
}
