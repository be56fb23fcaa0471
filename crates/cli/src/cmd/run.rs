//! `alphafactory run | runs | show | merge`: run an experiment file into the registry, list runs,
//! show one run, merge shard registries.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use af_factory::{
    load_experiment, load_universe, Plan, ProgressMode, RunOptions, Shard, VolFitter,
};
use af_registry::{merge_shards, Registry, RunRow};
use anyhow::{Context, Result};
use clap::Args;

/// Default registry of `runs` and `show`.
const DEFAULT_REGISTRY: &str = "alphafactory.db";

/// `alphafactory run FILE`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Experiment file (YAML).
    pub file: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Continue the unfinished run of this experiment (an unfinished run is continued anyway;
    /// with --resume it is an error when there is none).
    #[arg(long)]
    pub resume: bool,
    /// Run only shard i of n (0-based), e.g. 0/4; combine with `alphafactory merge`.
    #[arg(long)]
    pub shard: Option<String>,
    /// Registry database (default: `outputs.registry` of the experiment file).
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `alphafactory runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Registry database.
    #[arg(long, default_value = DEFAULT_REGISTRY)]
    pub registry: PathBuf,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// `alphafactory show RUN`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Run id (see `alphafactory runs`).
    pub run: i64,
    /// Registry database.
    #[arg(long, default_value = DEFAULT_REGISTRY)]
    pub registry: PathBuf,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Failed models to list with their reasons.
    #[arg(long, default_value_t = 20)]
    pub failures: usize,
}

/// `alphafactory merge OUT SHARD...`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output registry (created if needed).
    pub out: PathBuf,
    /// Shard registries made with `run --shard i/n`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
}

/// Run an experiment.
pub fn run(args: RunArgs) -> Result<()> {
    let exp = load_experiment(&args.file)?;
    let shard: Shard = match &args.shard {
        Some(s) => s.parse()?,
        None => Shard::default(),
    };
    let panel = load_universe(&exp)?;
    let plan = Plan::new(&exp, &panel)?;
    drop(panel);
    let path = args.registry.clone().unwrap_or_else(|| exp.registry_path());
    let mut reg = Registry::open(&path)?;
    let opts = RunOptions {
        threads: args.threads,
        resume: args.resume,
        shard,
        progress: ProgressMode::Auto,
        ..Default::default()
    };
    let stop = opts.stop.clone();
    ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            eprintln!("second interrupt: exiting now; finished work is in the registry");
            std::process::exit(130);
        }
        eprintln!(
            "interrupt: finishing the tasks in flight and flushing; Ctrl-C again to quit now"
        );
    })
    .context("installing the Ctrl-C handler")?;
    eprintln!(
        "{}: {} assets × {} specs × {} windows = {} tasks{} → {}",
        exp.name,
        plan.assets.len(),
        plan.specs.len(),
        exp.walk_forward.n_windows(),
        plan.n_tasks_in(shard),
        if shard.count > 1 {
            format!(" (shard {}/{})", shard.index, shard.count)
        } else {
            String::new()
        },
        path.display()
    );
    let summary = af_factory::run(&exp, &plan, &VolFitter::default(), &mut reg, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{summary}");
    }
    if summary.interrupted {
        std::process::exit(130);
    }
    Ok(())
}

fn run_line(r: &RunRow, ok: u64, failed: u64) -> String {
    let shard = if r.run.shard_count > 1 {
        format!("{}/{}", r.run.shard_index, r.run.shard_count)
    } else {
        "-".into()
    };
    format!(
        "{:>4}  {:<24} {:<16} {:<11} {:>7} {:>7} {:>7} {:>6} {:>9.1}  {}",
        r.id,
        r.run.name,
        r.run.experiment_hash,
        r.status.as_str(),
        r.run.n_tasks,
        ok,
        failed,
        shard,
        r.elapsed_s,
        r.run.started
    )
}

/// List runs.
pub fn runs(args: RunsArgs) -> Result<()> {
    let reg = open_existing(&args.registry)?;
    let mut rows = Vec::new();
    for r in reg.runs()? {
        let c = reg.counts(r.id)?;
        rows.push((r, c));
    }
    if args.json {
        let v: Vec<_> = rows
            .iter()
            .map(|(r, c)| serde_json::json!({ "run": r, "ok": c.ok, "failed": c.failed, "forecasts": c.forecasts }))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "{:>4}  {:<24} {:<16} {:<11} {:>7} {:>7} {:>7} {:>6} {:>9}  started",
        "id", "name", "experiment", "status", "tasks", "ok", "failed", "shard", "seconds"
    );
    for (r, c) in &rows {
        println!("{}", run_line(r, c.ok, c.failed));
    }
    Ok(())
}

/// Show one run: its row, counts, failure breakdown and failed models with reasons.
pub fn show(args: ShowArgs) -> Result<()> {
    let reg = open_existing(&args.registry)?;
    let r = reg.run(args.run)?;
    let c = reg.counts(r.id)?;
    let breakdown = reg.failure_breakdown(r.id)?;
    let failures: Vec<_> = reg
        .failures(r.id)?
        .into_iter()
        .take(args.failures)
        .collect();
    if args.json {
        let v = serde_json::json!({ "run": r, "counts": c, "failure_breakdown": breakdown, "failures": failures });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("run {}: {} ({})", r.id, r.run.name, r.status.as_str());
    println!(
        "  experiment hash {}  seed {}  code {}",
        r.run.experiment_hash, r.run.seed, r.run.code_version
    );
    println!(
        "  started {}  finished {}  {:.1} s",
        r.run.started,
        r.finished.as_deref().unwrap_or("-"),
        r.elapsed_s
    );
    println!(
        "  {} tasks: {} ok, {} failed, {} forecasts",
        r.run.n_tasks, c.ok, c.failed, c.forecasts
    );
    for b in &breakdown {
        println!("  {:>6} {}", b.count, b.kind);
    }
    for m in &failures {
        if let Some(f) = &m.failure {
            println!(
                "  failed {} {} window {}: {}",
                m.key.asset, m.key.spec_hash, m.key.window, f.message
            );
        }
    }
    Ok(())
}

/// Merge shard registries.
pub fn merge(args: MergeArgs) -> Result<()> {
    let s = merge_shards(&args.out, &args.shards)?;
    println!(
        "merged {} shards ({} models) into run {} of {}",
        s.shards,
        s.models,
        s.run_id,
        args.out.display()
    );
    Ok(())
}

fn open_existing(path: &PathBuf) -> Result<Registry> {
    anyhow::ensure!(
        path.exists(),
        "registry {} does not exist; give --registry PATH",
        path.display()
    );
    Ok(Registry::open(path)?)
}
