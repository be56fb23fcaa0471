//! `alphafactory portfolio backtest CONFIG.yaml` — alphas → combination → portfolio → risk →
//! backtest → tear sheet, from one configuration (see `af_strategy`).

use std::fmt::Write as _;
use std::path::PathBuf;

use af_strategy::{run, tearsheet, StrategyConfig};
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
}

/// Run a `portfolio` subcommand.
pub fn run_cmd(cmd: PortfolioCmd) -> Result<()> {
    match cmd {
        PortfolioCmd::Backtest(a) => backtest(&a),
    }
}

fn backtest(a: &BacktestArgs) -> Result<()> {
    let cfg = StrategyConfig::load(&a.config)?;
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
    std::fs::write(&sheet, tearsheet::render(&res))
        .with_context(|| format!("writing {}", sheet.display()))?;
    if a.json {
        let out = serde_json::json!({
            "name": res.name,
            "nobs": res.report.nobs,
            "metrics": res.report.metrics,
            "average_turnover": res.turnover.iter().sum::<f64>() / res.turnover.len().max(1) as f64,
            "hit_rate": res.hit_rate,
            "retirements": res.events.len(),
            "halted_on": res.halted_on.map(|d| res.dates[d].date().to_string()),
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
    if let Some(d) = res.halted_on {
        println!("  drawdown stop fired on {}", res.dates[d].date());
    }
    println!("tear sheet: {}", sheet.display());
    Ok(())
}
