//! Tear-sheet sections on risk and the alpha book: realized and pro-forma VaR / CVaR, stress
//! windows, the kill switch (live alphas, retirements, promotions) and the portfolio's states.

use af_portfolio::kill_switch::{PortfolioState, RetireReason};
use af_report::{Cell, LineChart, Report, Table, XAxis};

use crate::config::StrategyConfig;
use crate::StrategyResult;

/// Retirement rows shown in the page; the full log is in the registry and `kill_switch.json`.
const MAX_EVENT_ROWS: usize = 80;

fn pct(x: f64) -> Cell {
    Cell::Num(100.0 * x, 2)
}

/// VaR / CVaR by method and the pro-forma VaR chart.
pub fn risk_section(page: &mut Report, res: &StrategyResult, cfg: &StrategyConfig) {
    let level = cfg.risk.var_level;
    page.heading(
        2,
        format!("Risk: one-day VaR and CVaR at {:.0}%", 100.0 * level),
    );
    let mut t = Table::new([
        "method (net returns of the invested days)",
        "VaR %",
        "CVaR %",
    ]);
    for (name, v) in &res.realized_risk {
        match v {
            Ok(v) => t.push(vec![Cell::Text(name.clone()), pct(v.var), pct(v.cvar)]),
            Err(e) => t.push(vec![
                Cell::Text(name.clone()),
                Cell::Text(format!("unavailable: {e}")),
                Cell::Text(String::new()),
            ]),
        }
    }
    page.table(t);
    page.note(format!(
        "Risk rules use the {} pro-forma VaR of each day's weights (covariance: {}); P2 leverage \
         0.5 / 0.7 / 1.0 from VaR + 0.5·CVaR, VaR budget {}.{}",
        cfg.risk.var_method.as_str(),
        cfg.risk.covariance.as_str(),
        cfg.risk
            .var_budget
            .map_or("none".to_string(), |b| format!("{:.2}%", 100.0 * b)),
        if res.garch_var_fallbacks > 0 {
            format!(
                " The GARCH VaR fell back to historical on {} days.",
                res.garch_var_fallbacks
            )
        } else {
            String::new()
        }
    ));
    let dates = XAxis::Dates(res.dates.clone());
    // measured on rebalance days; held until the next one (none once halted)
    let halt = res.halted_on.unwrap_or(usize::MAX);
    let mut last = (f64::NAN, f64::NAN);
    let (var, cvar): (Vec<f64>, Vec<f64>) = res
        .pro_forma_var
        .iter()
        .enumerate()
        .map(|(t, v)| {
            if t >= halt {
                return (f64::NAN, f64::NAN);
            }
            if let Some(v) = v {
                last = (v.var, v.cvar);
            }
            last
        })
        .unzip();
    page.chart(
        LineChart::new(
            format!(
                "Pro-forma one-day VaR / CVaR of the day's target weights ({})",
                cfg.risk.var_method.as_str()
            ),
            dates,
        )
        .series("VaR", var)
        .series("CVaR", cvar)
        .to_svg(),
    );
    if !res.risk_warnings.is_empty() {
        let mut w = Table::new(["day", "risk-model warning"]);
        for (d, m) in res.risk_warnings.iter().take(20) {
            w.push(vec![
                Cell::Text(res.dates[*d].date().to_string()),
                Cell::Text(m.clone()),
            ]);
        }
        page.table(w);
        if res.risk_warnings.len() > 20 {
            page.note(format!("{} warnings in all.", res.risk_warnings.len()));
        }
    }
}

/// The stress-window table.
pub fn stress_section(page: &mut Report, res: &StrategyResult) {
    page.heading(2, "Stress windows");
    let mut t = Table::new([
        "window",
        "dates",
        "days invested",
        "return %",
        "max drawdown %",
        "volatility % (ann.)",
        "benchmark return %",
        "excess %",
    ]);
    for s in &res.stress {
        let days = s.stats.end + 1 - s.stats.start;
        t.push(vec![
            Cell::Text(if s.partial {
                format!("{} (partial)", s.name)
            } else {
                s.name.clone()
            }),
            Cell::Text(format!("{} → {}", s.start, s.end)),
            Cell::Text(format!("{} / {days}", s.invested_days)),
            pct(s.stats.total_return),
            pct(s.stats.max_drawdown),
            pct(s.stats.volatility),
            s.stats
                .benchmark_return
                .map_or(Cell::Text(String::new()), pct),
            s.stats.excess().map_or(Cell::Text(String::new()), pct),
        ]);
    }
    page.table(t);
    page.note(
        "Named episodes apply where they overlap the data (clipped: partial); the worst windows are \
         the non-overlapping N-day spans of lowest compounded net return.",
    );
}

/// One line per reason, e.g. `Sharpe −1.24 < min; IR shortfall: −5.9 vs 0.37 (p 0.018)`.
fn reasons_text(reasons: &[RetireReason], names: &[String]) -> String {
    let parts: Vec<String> = reasons
        .iter()
        .map(|r| match r {
            RetireReason::LowSharpe { sharpe } => format!("Sharpe {sharpe:.2}"),
            RetireReason::Drawdown { drawdown } => format!("drawdown {:.1}%", 100.0 * drawdown),
            RetireReason::Correlated { with, rho } => format!(
                "ρ {rho:.2} with {}",
                names.get(*with).map_or("?", String::as_str)
            ),
            RetireReason::IrShortfall {
                recent,
                expected,
                p_value,
            } => format!("IR shortfall: {recent:.2} vs expected {expected:.2} (p {p_value:.3})"),
            RetireReason::Expired { age } => format!("expired at {age} days"),
        })
        .collect();
    parts.join("; ")
}

/// Live alphas, retirements and promotions, then the portfolio's states.
pub fn kill_switch_section(page: &mut Report, res: &StrategyResult, cfg: &StrategyConfig) {
    let ks = &cfg.kill_switch;
    page.heading(
        2,
        format!(
            "Kill switch: {} retirements, {} promotions",
            res.events.len(),
            res.promotions.len()
        ),
    );
    page.note(format!(
        "Rules (A5): {}-day Sharpe < {}, drawdown > {:.0}%, correlation > {}, IR shortfall p < {}; \
         grace {} live days; floor {} live alphas ({} alpha-days deferred); live cap {}; \
         readmission after {}; retired weights × {} per day.",
        ks.window,
        ks.min_sharpe,
        100.0 * ks.max_drawdown,
        ks.max_correlation,
        ks.shortfall_p,
        ks.grace_days.max(ks.window),
        ks.min_active,
        res.deferred,
        ks.max_active.map_or("none".to_string(), |m| m.to_string()),
        ks.readmit_after.map_or("never".to_string(), |d| format!("{d} days")),
        ks.decay
    ));
    page.chart(
        LineChart::new("Live alphas", XAxis::Dates(res.dates.clone()))
            .series("live", res.live_count.iter().map(|c| *c as f64).collect())
            .to_svg(),
    );
    let mut ev = Table::new(["date", "alpha", "weight before", "reasons"]);
    for (e, w) in res
        .events
        .iter()
        .zip(&res.weight_before)
        .take(MAX_EVENT_ROWS)
    {
        ev.push(vec![
            Cell::Text(res.dates[e.day].date().to_string()),
            Cell::Text(res.alpha_names[e.alpha].clone()),
            Cell::Num(*w, 4),
            Cell::Text(reasons_text(&e.reasons, &res.alpha_names)),
        ]);
    }
    page.table(ev);
    if res.events.len() > MAX_EVENT_ROWS {
        page.note(format!(
            "First {MAX_EVENT_ROWS} of {} retirements; all are in the registry and kill_switch.json.",
            res.events.len()
        ));
    }
    page.heading(2, "Portfolio state");
    let mut st = Table::new(["state", "days"]);
    for s in [
        PortfolioState::Active,
        PortfolioState::Reducing,
        PortfolioState::Halted,
    ] {
        st.push(vec![
            Cell::Text(s.as_str().into()),
            Cell::Num(res.state.iter().filter(|x| **x == s).count() as f64, 0),
        ]);
    }
    page.table(st);
    let mut ch = Table::new(["from", "state", "drawdown %"]);
    for (d, s, dd) in &res.state_changes {
        ch.push(vec![
            Cell::Text(res.dates[*d].date().to_string()),
            Cell::Text(s.as_str().into()),
            pct(*dd),
        ]);
    }
    page.table(ch);
}
