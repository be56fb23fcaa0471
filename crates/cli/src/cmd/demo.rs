//! `alphafactory demo` — the main job on embedded defaults, no server, no download:
//!
//! 1. generate the synthetic universe (500 assets × 2,520 business days), write it as Parquet,
//!    read it back and print its quality report;
//! 2. write `experiment.yaml` next to it (rerun or edit it with `alphafactory run`) and run it:
//!    5 GARCH variants per asset (GARCH(1,1) normal / t / skew-t, GJR(1,1,1) normal / t), walk-forward refits, forecasts at 10 horizons, VaR at 1/5/10%;
//! 3. print the leaderboard and write the HTML report.
//!
//! "A model" is one forecaster: asset × variant × horizon (500 × 5 × 10 = 25,000 by default);
//! each variant of an asset is refitted once per walk-forward window and the fit serves every
//! horizon, so the run makes assets × variants × windows fits (500 × 5 × 12 = 30,000).

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use af_board::{write_report, GroupBy, Metric, ReportOptions};
use af_data::synthetic::SyntheticConfig;
use af_factory::{load_experiment, load_universe, Plan, ProgressMode, RunOptions, VolFitter};
use af_registry::Registry;
use anyhow::{Context, Result};
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
    /// Seed of the universe and of the run.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where the demo writes its files.
    #[arg(long, default_value = "out/demo")]
    pub out_dir: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print the leaderboard as JSON on stdout (the progress and quality report go to stderr).
    #[arg(long)]
    pub json: bool,
}

/// Walk-forward scheme for a series of `days` prices: a year out of sample (a fifth of the
/// series when shorter), refits every 22 days, up to 1,000 training days.
fn walk_forward(days: usize) -> Result<(usize, usize, usize)> {
    let n = days.saturating_sub(1);
    let test = 252.min(n / 5);
    let train = 1000.min(n.saturating_sub(test));
    anyhow::ensure!(
        test >= 22 && train >= 100,
        "--days {days} is too short for a walk-forward demo: it needs at least 250 days"
    );
    Ok((train, 22, test))
}

/// The demo's experiment file.
fn experiment_yaml(args: &DemoArgs) -> Result<String> {
    let (train, refit, test) = walk_forward(args.days)?;
    Ok(format!(
        "# Written by `alphafactory demo`; rerun with `alphafactory run {dir}/experiment.yaml`.
name: demo
seed: {seed}
universe: {{ path: universe.parquet }}
targets:
  returns: {{ field: returns, scale: 100 }}
  realized_variance: {{ horizons: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }}
models:
  - garch: {{ vol: [garch], p: [1], q: [1], dist: [normal, t, skewt] }}
  - garch: {{ vol: [gjr], p: [1], o: [1], q: [1], dist: [normal, t] }}
walk_forward: {{ train: {train}, refit_every: {refit}, test: {test}, window: rolling }}
var_levels: [0.01, 0.05, 0.10]
ensembles: [aic_weighted, inverse_mse]
outputs: {{ registry: alphafactory.db, report: report.html }}
",
        dir = args.out_dir.display(),
        seed = args.seed
    ))
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Run the demo.
pub fn run(args: &DemoArgs) -> Result<()> {
    let cfg = SyntheticConfig {
        assets: args.assets,
        days: Some(args.days),
        seed: args.seed,
        ..SyntheticConfig::default()
    };
    let file = args.out_dir.join("universe.parquet");
    generate_to(&cfg, &file)?;
    let quality = check(&file, 5.0)?;
    if args.json {
        eprint!("{quality}");
    } else {
        print!("{quality}");
    }

    let exp_path = args.out_dir.join("experiment.yaml");
    write(&exp_path, &experiment_yaml(args)?)?;
    let exp = load_experiment(&exp_path)?;
    let panel = load_universe(&exp)?;
    let plan = Plan::new(&exp, &panel)?;
    drop(panel);
    let db = exp.registry_path();
    if db.exists() {
        // A fresh demo each time: the registry holds this demo's run only.
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", db.display()));
            if p.exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
            }
        }
    }
    let mut reg = Registry::open(&db)?;
    let opts = RunOptions {
        threads: args.threads,
        progress: ProgressMode::Auto,
        ..RunOptions::default()
    };
    let stop = opts.stop.clone();
    // Ctrl-C flushes finished work; a second Ctrl-C exits at once.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    let n_h = exp.targets.realized_variance.horizons.len();
    eprintln!(
        "demo: {} assets × {} variants × {n_h} horizons = {} models; {} walk-forward windows → {} fits → {}",
        plan.assets.len(),
        plan.specs.len(),
        plan.assets.len() * plan.specs.len() * n_h,
        exp.walk_forward.n_windows(),
        plan.n_tasks(),
        db.display()
    );
    let summary = af_factory::run(&exp, &plan, &VolFitter::default(), &mut reg, &opts)?;
    eprint!("{summary}");
    anyhow::ensure!(
        !summary.interrupted,
        "demo interrupted; rerun `alphafactory run {}` to finish",
        exp_path.display()
    );

    let report = args.out_dir.join("report.html");
    let assets: Vec<String> = plan.assets.iter().take(3).map(|a| a.name.clone()).collect();
    let board = write_report(
        &reg,
        summary.run_id,
        &report,
        &ReportOptions {
            assets,
            max_failures: 50,
        },
    )?;
    let lb = board.leaderboard(GroupBy::Family, Metric::Qlike, None);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&lb)?);
    } else {
        print!("{lb}");
        let by_h = board.leaderboard(GroupBy::Horizon, Metric::Qlike, Some(1));
        println!("\n== winner per horizon (QLIKE)");
        for g in &by_h.groups {
            println!("  {:<12} {}", g.key, g.winner.as_deref().unwrap_or("-"));
        }
    }
    eprintln!(
        "\nreport: {}\nregistry: {} (run {}; try `alphafactory leaderboard {} --registry {} --by horizon`)",
        report.display(),
        db.display(),
        summary.run_id,
        summary.run_id,
        db.display()
    );
    Ok(())
}
