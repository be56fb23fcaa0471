//! `alphafactory portfolio backtest CONFIG.yaml` — alphas → combination → portfolio → risk →
//! backtest → tear sheet, from one configuration (see `af_strategy`). The run is recorded in the
//! registry (a `runs` row) with its kill-switch retirements, promotions and portfolio state
//! changes (`alpha_retirements`, `alpha_promotions`, `portfolio_states`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use af_factory::engine::code_version;
use af_factory::hash::{canonical_json, sha256_hex};
use af_registry::{
    NewRun, PromotionRow, Registry, RetirementRow, RunStatus, StateChangeRow, StrategyLog,
};
use af_strategy::config::Universe;
use af_strategy::{run, tearsheet, StrategyConfig, StrategyResult};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

/// `alphafactory portfolio` subcommands.
#[derive(Debug, Subcommand)]
pub enum PortfolioCmd {
    /// Backtest the strategy a YAML config describes and write its tear sheet.
    Backtest(BacktestArgs),
}

/// Arguments of `portfolio backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Strategy configuration (YAML).
    pub config: PathBuf,
    /// Where daily results, kill-switch events and the tear sheet go.
    #[arg(long, default_value = "out/portfolio")]
    pub out_dir: PathBuf,
    /// Print the metrics as one JSON object (empyrical names) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Registry that records the run, its retirements and state changes.
    #[arg(long, default_value = "alphafactory.db")]
    pub registry: PathBuf,
    /// Do not record the run in the registry.
    #[arg(long)]
    pub no_registry: bool,
}

/// Run a `portfolio` subcommand.
pub fn run_cmd(cmd: PortfolioCmd) -> Result<()> {
    match cmd {
        PortfolioCmd::Backtest(a) => backtest(&a),
    }
}

fn backtest(a: &BacktestArgs) -> Result<()> {
    let cfg = StrategyConfig::load(&a.config)?;
    let started = now();
    let t0 = std::time::Instant::now();
    let res = run(&cfg)?;
    let elapsed = t0.elapsed().as_secs_f64();
    std::fs::create_dir_all(&a.out_dir)
        .with_context(|| format!("creating {}", a.out_dir.display()))?;
    let mut daily = String::from("date,net,gross,turnover,cost,benchmark,risk_multiplier,gross_exposure,net_exposure,state\n");
    for t in 0..res.dates.len() {
        writeln!(
            daily,
            "{},{},{},{},{},{},{},{},{},{:?}",
            res.dates[t].date(),
            res.net[t],
            res.gross[t],
            res.turnover[t],
            res.costs[t],
            res.benchmark[t],
            res.leverage[t],
            res.exposure[t].0,
            res.exposure[t].1,
            res.state[t]
        )?;
    }
    let daily_path = a.out_dir.join("daily.csv");
    std::fs::write(&daily_path, daily)
        .with_context(|| format!("writing {}", daily_path.display()))?;
    let events_path = a.out_dir.join("kill_switch.json");
    let events: Vec<serde_json::Value> = res
        .events
        .iter()
        .map(|e| {
            serde_json::json!({
                "date": res.dates[e.day].date().to_string(),
                "alpha": res.alpha_names[e.alpha],
                "reasons": e.reasons,
            })
        })
        .collect();
    std::fs::write(&events_path, serde_json::to_string_pretty(&events)?)
        .with_context(|| format!("writing {}", events_path.display()))?;
    let sheet = a.out_dir.join(
        cfg.report
            .clone()
            .unwrap_or_else(|| "tearsheet.html".into()),
    );
    std::fs::write(&sheet, tearsheet::render(&res, &cfg))
        .with_context(|| format!("writing {}", sheet.display()))?;
    let run_id = if a.no_registry {
        None
    } else {
        Some(record(&a.registry, &cfg, &res, &started, elapsed)?)
    };
    if a.json {
        let out = serde_json::json!({
            "name": res.name,
            "nobs": res.report.nobs,
            "metrics": res.report.metrics,
            "average_turnover": res.turnover.iter().sum::<f64>() / res.turnover.len().max(1) as f64,
            "hit_rate": res.hit_rate,
            "retirements": res.events.len(),
            "promotions": res.promotions.len(),
            "halted_on": res.halted_on.map(|d| res.dates[d].date().to_string()),
            "stress": res.stress,
            "registry": run_id.map(|id| serde_json::json!({"path": a.registry, "run_id": id})),
            "files": {"daily": daily_path, "kill_switch": events_path, "tearsheet": sheet},
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{}: {} assets × {} days, {} alphas, {} retirements, {:.1}s",
        res.name,
        res.assets.len(),
        res.dates.len(),
        res.alpha_names.len(),
        res.events.len(),
        elapsed
    );
    for (k, v) in &res.report.metrics {
        println!("  {k:<28}{v:>14.6}");
    }
    println!("  {:<28}{:>14.6}", "hit_rate", res.hit_rate);
    if !res.stress.is_empty() {
        println!(
            "  {:<28}{:>10}{:>10}{:>10}  dates",
            "stress window", "return", "max dd", "excess"
        );
        for w in &res.stress {
            println!(
                "  {:<28}{:>9.2}%{:>9.2}%{:>9.2}%  {} → {}{}",
                w.name,
                100.0 * w.stats.total_return,
                100.0 * w.stats.max_drawdown,
                100.0 * w.stats.excess().unwrap_or(f64::NAN),
                w.start,
                w.end,
                if w.partial { " (partial)" } else { "" }
            );
        }
    }
    if let Some(d) = res.halted_on {
        println!("  drawdown stop fired on {}", res.dates[d].date());
    }
    if let Some(id) = run_id {
        println!(
            "registry: {} run {id}: {} retirements, {} promotions, {} state changes \
             (tables alpha_retirements, alpha_promotions, portfolio_states)",
            a.registry.display(),
            res.events.len(),
            res.promotions.len(),
            res.state_changes.len()
        );
    }
    for (d, w) in res.risk_warnings.iter().take(5) {
        eprintln!("warning: {}: {w}", res.dates[*d].date());
    }
    if res.risk_warnings.len() > 5 {
        eprintln!(
            "warning: {} risk-model warnings in all (see the tear sheet)",
            res.risk_warnings.len()
        );
    }
    println!("tear sheet: {}", sheet.display());
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The run's log rows for the registry.
pub fn strategy_log(res: &StrategyResult) -> StrategyLog {
    let date = |d: usize| res.dates[d].date().to_string();
    StrategyLog {
        retirements: res
            .events
            .iter()
            .zip(&res.weight_before)
            .map(|(e, w)| RetirementRow {
                alpha: res.alpha_names[e.alpha].clone(),
                date: date(e.day),
                day_index: e.day as u32,
                reasons_json: serde_json::to_string(&e.reasons).unwrap_or_default(),
                weight_before: *w,
                live_after: res.live_count[e.day] as u32,
            })
            .collect(),
        promotions: res
            .promotions
            .iter()
            .map(|p| PromotionRow {
                alpha: res.alpha_names[p.alpha].clone(),
                date: date(p.day),
                day_index: p.day as u32,
                score: p.score.is_finite().then_some(p.score),
            })
            .collect(),
        states: res
            .state_changes
            .iter()
            .enumerate()
            .map(|(i, (d, s, dd))| StateChangeRow {
                date: date(*d),
                day_index: *d as u32,
                state: s.as_str().to_string(),
                previous: i
                    .checked_sub(1)
                    .map(|j| res.state_changes[j].1.as_str().to_string()),
                drawdown: *dd,
            })
            .collect(),
    }
}

/// Record the run and its log in the registry at `path`; returns the run id.
fn record(
    path: &Path,
    cfg: &StrategyConfig,
    res: &StrategyResult,
    started: &str,
    elapsed: f64,
) -> Result<i64> {
    let spec_json = canonical_json(cfg).context("serializing the strategy config")?;
    let mut reg = Registry::open(path)?;
    let id = reg.create_run(&NewRun {
        name: format!("portfolio:{}", cfg.name),
        experiment_hash: sha256_hex(&spec_json, 16),
        spec_json,
        code_version: code_version(),
        seed: match &cfg.universe {
            Universe::Synthetic(s) => s.seed,
            Universe::File(_) => 0,
        },
        shard_index: 0,
        shard_count: 1,
        n_tasks: res.alpha_names.len() as u64,
        started: started.to_string(),
    })?;
    reg.write_strategy_log(id, &strategy_log(res))?;
    reg.close_run(id, RunStatus::Finished, Some(&now()), elapsed)?;
    Ok(id)
}
