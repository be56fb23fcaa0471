//! `alphafactory demo` — the main job on embedded defaults, no server, no download.

use std::path::PathBuf;

use af_data::synthetic::SyntheticConfig;
use anyhow::Result;
use clap::Args;

use super::data::{check, generate_to};

/// Arguments of `alphafactory demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Assets in the synthetic universe.
    #[arg(long, default_value_t = 500)]
    pub assets: usize,
    /// Business days (10 years).
    #[arg(long, default_value_t = 2520)]
    pub days: usize,
    /// Seed of the universe.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where the demo writes its files.
    #[arg(long, default_value = "out/demo")]
    pub out_dir: PathBuf,
}

/// Run the demo: generate a universe, write it as Parquet, load it back and print its quality
/// report.
pub fn run(args: &DemoArgs) -> Result<()> {
    let cfg = SyntheticConfig {
        assets: args.assets,
        days: Some(args.days),
        seed: args.seed,
        ..SyntheticConfig::default()
    };
    let file = args.out_dir.join("universe.parquet");
    generate_to(&cfg, &file)?;
    let report = check(&file, 5.0)?;
    print!("{report}");
    Ok(())
}
