//! Online alpha retirement — the kill switch of PRODUCT A5 — and the portfolio's risk state.
//!
//! Each day t the engine walks four steps:
//! 1. **admission**: an alpha born by t becomes a candidate; a retired one becomes a candidate
//!    again `readmit_after` days after its retirement (never after expiry);
//! 2. **promotion**: free live slots (at most `max_active`, unlimited when `None`) are filled with
//!    the candidates of highest `ranking[i][t]` (e.g. trailing mean rank IC) — at the start of the
//!    day for newly admitted alphas, and again at the close for the slots that day's retirements
//!    freed (tracked live from the next day's return); an alpha's live history, wealth and
//!    drawdown start when it goes live;
//! 3. **checks** (rules in [`crate::kill_switch_rules`]): a live alpha is checked only once it has
//!    max(`window`, `grace_days`) days of live history — the grace period — over its last `window`
//!    returns: low Sharpe, drawdown, IR shortfall against its expected Sharpe (given, or its
//!    annualized Sharpe over the `expected_lookback` days before it went live), expiry, and
//!    correlation with another checked alpha;
//! 4. **floor**: if retiring every flagged alpha would leave fewer than `min_active` alphas live
//!    after the spare candidates have filled the slots, the flagged alphas with the best window
//!    Sharpe are kept (counted in `deferred`) — retirement alone never empties the book.
//!
//! A retired alpha's weight multiplier shrinks by `decay` per day (gradual reduction) and snaps to
//! 0 below 1%; candidates have multiplier 0, live alphas 1. Every retirement is logged with all
//! its reasons. The portfolio as a whole is `Active`, `Reducing` (drawdown beyond
//! `reduce_drawdown`) or `Halted` (drawdown beyond `halt_drawdown`).

use serde::Serialize;

use crate::kill_switch_rules::{
    correlation_rule, deferred_by_floor, sharpe, single_rules, AlphaDay,
};

/// Kill-switch thresholds (defaults from PRODUCT A5; the practitioner's additions default to off).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KillSwitchConfig {
    /// Rolling window in days.
    pub window: usize,
    /// Minimum annualized Sharpe over the window.
    pub min_sharpe: f64,
    /// Maximum drawdown since going live (fraction).
    pub max_drawdown: f64,
    /// Maximum correlation with another live alpha.
    pub max_correlation: f64,
    /// Expected annualized Sharpe per alpha (enables the IR-shortfall test).
    pub expected_sharpe: Option<Vec<f64>>,
    /// p-value below which a shortfall retires the alpha.
    pub shortfall_p: f64,
    /// Maximum age in days (from birth).
    pub expiry_days: Option<usize>,
    /// Daily multiplier applied to a retiring alpha's weight.
    pub decay: f64,
    /// Periods per year.
    pub ann: f64,
    /// Days of live history before any rule applies; the effective grace is max(this, `window`).
    pub grace_days: usize,
    /// Floor on the number of live alphas that retirement alone may not break (0: no floor).
    pub min_active: usize,
    /// Cap on live alphas; the others wait as candidates ranked by `ranking` (None: all live).
    pub max_active: Option<usize>,
    /// Days after which a retired (not expired) alpha may be promoted again (None: never).
    pub readmit_after: Option<usize>,
    /// When `expected_sharpe` is None: the expected Sharpe of an alpha is its annualized Sharpe
    /// over this many days before it went live (None: no IR-shortfall test).
    pub expected_lookback: Option<usize>,
}

impl Default for KillSwitchConfig {
    fn default() -> Self {
        KillSwitchConfig {
            window: 30,
            min_sharpe: 0.5,
            max_drawdown: 0.15,
            max_correlation: 0.9,
            expected_sharpe: None,
            shortfall_p: 0.05,
            expiry_days: None,
            decay: 0.5,
            ann: 252.0,
            grace_days: 0,
            min_active: 0,
            max_active: None,
            readmit_after: None,
            expected_lookback: None,
        }
    }
}

/// Why an alpha was retired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RetireReason {
    /// Window Sharpe below the minimum.
    LowSharpe {
        /// Annualized Sharpe over the window.
        sharpe: f64,
    },
    /// Drawdown since inception beyond the limit.
    Drawdown {
        /// Current drawdown (negative).
        drawdown: f64,
    },
    /// Too correlated with a better live alpha.
    Correlated {
        /// Index of the alpha kept.
        with: usize,
        /// Window correlation.
        rho: f64,
    },
    /// Recent Sharpe significantly below expectation.
    IrShortfall {
        /// Recent annualized Sharpe.
        recent: f64,
        /// Expected annualized Sharpe.
        expected: f64,
        /// One-sided p-value.
        p_value: f64,
    },
    /// Past its validity.
    Expired {
        /// Age in days.
        age: usize,
    },
}

/// One retirement, for the registry's log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetirementEvent {
    /// Day index.
    pub day: usize,
    /// Alpha index.
    pub alpha: usize,
    /// Every reason that applied that day.
    pub reasons: Vec<RetireReason>,
}

/// Weight multipliers over time and the retirement log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KillSwitchRun {
    /// `multipliers[i][t]` ∈ [0, 1] scales alpha i's weight on day t.
    pub multipliers: Vec<Vec<f64>>,
    /// Retirements in order of day, then alpha.
    pub events: Vec<RetirementEvent>,
    /// Promotions from candidate to live, in order of day.
    pub promotions: Vec<Promotion>,
    /// Alpha-days on which a due retirement was deferred by the `min_active` floor.
    pub deferred: usize,
    /// Live alphas per day (after that day's retirements).
    pub live_count: Vec<usize>,
}

/// One promotion of a candidate to live.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Promotion {
    /// Day index: the first day its multiplier is 1. A replacement is chosen at the close of the
    /// retirement day and tracked live from the next day's return; an alpha admitted at birth is
    /// tracked from that day's return.
    pub day: usize,
    /// Alpha index.
    pub alpha: usize,
    /// Its ranking score that day (NaN without a ranking).
    pub score: f64,
}

/// The portfolio's risk state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PortfolioState {
    /// Normal operation.
    Active,
    /// Cutting risk.
    Reducing,
    /// Trading stopped.
    Halted,
}

impl PortfolioState {
    /// Lower-case name (`active`, `reducing`, `halted`).
    pub fn as_str(self) -> &'static str {
        match self {
            PortfolioState::Active => "active",
            PortfolioState::Reducing => "reducing",
            PortfolioState::Halted => "halted",
        }
    }
}

/// Portfolio state from its current drawdown (≤ 0).
pub fn portfolio_state(drawdown: f64, reduce_drawdown: f64, halt_drawdown: f64) -> PortfolioState {
    if drawdown <= -halt_drawdown.abs() {
        PortfolioState::Halted
    } else if drawdown <= -reduce_drawdown.abs() {
        PortfolioState::Reducing
    } else {
        PortfolioState::Active
    }
}

/// Where an alpha stands in the engine.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    /// Not born yet.
    Unborn,
    /// Waiting for a live slot.
    Candidate,
    /// Live since the day given; `expected` is its expected annualized Sharpe.
    Live { since: usize, expected: Option<f64> },
    /// Retired on the day given.
    Retired { day: usize, expired: bool },
}

/// Run the kill switch over daily alpha returns (`returns[i]` is alpha i's series; all the same
/// length). Alpha i is born on day `born[i]` (0 when `born` is `None`); every born alpha is live.
pub fn run(returns: &[Vec<f64>], born: Option<&[usize]>, cfg: &KillSwitchConfig) -> KillSwitchRun {
    run_ranked(returns, born, None, cfg)
}

/// The kill switch with a candidate pool: `ranking[i][t]` (known at the close of t; NaN = not
/// promotable that day) orders the candidates for the `max_active` live slots. Without a ranking
/// candidates are promoted in index order.
pub fn run_ranked(
    returns: &[Vec<f64>],
    born: Option<&[usize]>,
    ranking: Option<&[Vec<f64>]>,
    cfg: &KillSwitchConfig,
) -> KillSwitchRun {
    let k = returns.len();
    let n = returns.iter().map(Vec::len).min().unwrap_or(0);
    let birth = |i: usize| born.and_then(|b| b.get(i).copied()).unwrap_or(0);
    let rank = |i: usize, t: usize| match ranking {
        Some(r) => r.get(i).and_then(|x| x.get(t)).copied().unwrap_or(f64::NAN),
        None => -(i as f64),
    };
    let grace = cfg.grace_days.max(cfg.window).max(2);
    let mut out = KillSwitchRun {
        multipliers: vec![vec![0.0; n]; k],
        events: Vec::new(),
        promotions: Vec::new(),
        deferred: 0,
        live_count: vec![0; n],
    };
    let mut status = vec![Status::Unborn; k];
    let mut wealth = vec![1.0f64; k];
    let mut peak = vec![1.0f64; k];
    for t in 0..n {
        // 1. admission
        for (i, st) in status.iter_mut().enumerate() {
            *st = match *st {
                Status::Unborn if t >= birth(i) => Status::Candidate,
                Status::Retired {
                    day,
                    expired: false,
                } if cfg.readmit_after.is_some_and(|c| t >= day + c) => Status::Candidate,
                s => s,
            };
        }
        // 2. promotion into free slots (first live return: today)
        let scores: Vec<f64> = (0..k).map(|i| rank(i, t)).collect();
        let mut pool = Pool {
            status: &mut status,
            wealth: &mut wealth,
            peak: &mut peak,
            promotions: &mut out.promotions,
        };
        pool.fill(returns, &scores, ranking.is_some(), cfg, t, t);
        let live: Vec<usize> = (0..k)
            .filter(|&i| matches!(status[i], Status::Live { .. }))
            .collect();
        // 3. checks
        for &i in &live {
            let r = returns[i][t];
            wealth[i] *= 1.0 + if r.is_finite() { r } else { 0.0 };
            peak[i] = peak[i].max(wealth[i]);
        }
        let lo = (t + 1).saturating_sub(cfg.window);
        let checked: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&i| matches!(status[i], Status::Live { since, .. } if t + 1 >= since + grace))
            .collect();
        let mut sharpes = vec![f64::NAN; k];
        let mut today: Vec<Vec<_>> = vec![Vec::new(); k];
        for &i in &checked {
            sharpes[i] = sharpe(&returns[i][lo..=t], cfg.ann);
            let Status::Live { expected, .. } = status[i] else {
                continue;
            };
            today[i] = single_rules(
                &AlphaDay {
                    window: &returns[i][lo..=t],
                    sharpe: sharpes[i],
                    drawdown: wealth[i] / peak[i] - 1.0,
                    expected,
                    age: t + 1 - birth(i),
                },
                cfg,
            );
        }
        correlation_rule(
            returns,
            &checked,
            &sharpes,
            (lo, t),
            cfg.max_correlation,
            &mut today,
        );
        // 4. floor, then retirements
        let flagged: Vec<usize> = (0..k).filter(|&i| !today[i].is_empty()).collect();
        let spare = candidates(&status, &scores).len();
        for i in deferred_by_floor(live.len(), &flagged, spare, cfg.min_active, &sharpes) {
            today[i].clear();
            out.deferred += 1;
        }
        for i in 0..k {
            if !today[i].is_empty() {
                let expired = today[i]
                    .iter()
                    .any(|r| matches!(r, RetireReason::Expired { .. }));
                status[i] = Status::Retired { day: t, expired };
                out.events.push(RetirementEvent {
                    day: t,
                    alpha: i,
                    reasons: std::mem::take(&mut today[i]),
                });
            }
        }
        // replacements decided at today's close (first live return: tomorrow)
        let mut pool = Pool {
            status: &mut status,
            wealth: &mut wealth,
            peak: &mut peak,
            promotions: &mut out.promotions,
        };
        pool.fill(returns, &scores, ranking.is_some(), cfg, t, t + 1);
        for (m_i, st) in out.multipliers.iter_mut().zip(&status) {
            m_i[t] = match st {
                Status::Live { .. } => 1.0,
                Status::Retired { .. } => {
                    let prev = if t > 0 { m_i[t - 1] } else { 1.0 };
                    let m = prev * cfg.decay;
                    if m < 0.01 {
                        0.0
                    } else {
                        m
                    }
                }
                Status::Unborn | Status::Candidate => 0.0,
            };
        }
        out.live_count[t] = status
            .iter()
            .filter(|s| matches!(s, Status::Live { .. }))
            .count();
    }
    out
}

/// The mutable state a promotion touches.
struct Pool<'a> {
    status: &'a mut [Status],
    wealth: &'a mut [f64],
    peak: &'a mut [f64],
    promotions: &'a mut Vec<Promotion>,
}

impl Pool<'_> {
    /// Fill free live slots with the best candidates, decided on day `t`, live from `since`.
    fn fill(
        &mut self,
        returns: &[Vec<f64>],
        scores: &[f64],
        ranked: bool,
        cfg: &KillSwitchConfig,
        t: usize,
        since: usize,
    ) {
        let cap = cfg.max_active.unwrap_or(usize::MAX);
        let mut live = self
            .status
            .iter()
            .filter(|s| matches!(s, Status::Live { .. }))
            .count();
        let mut pool = candidates(self.status, scores);
        while live < cap {
            let Some((i, score)) = pool.pop() else { break };
            let expected = cfg
                .expected_sharpe
                .as_ref()
                .and_then(|e| e.get(i).copied())
                .or_else(|| {
                    let l = cfg.expected_lookback?;
                    let past = &returns[i][since.saturating_sub(l)..since.min(returns[i].len())];
                    (past.iter().filter(|x| x.is_finite()).count() >= 20)
                        .then(|| sharpe(past, cfg.ann))
                });
            self.status[i] = Status::Live { since, expected };
            (self.wealth[i], self.peak[i]) = (1.0, 1.0);
            self.promotions.push(Promotion {
                day: t,
                alpha: i,
                score: if ranked { score } else { f64::NAN },
            });
            live += 1;
        }
    }
}

/// Promotable candidates with their score, best LAST (ties: lower index last, i.e. preferred).
fn candidates(status: &[Status], scores: &[f64]) -> Vec<(usize, f64)> {
    let mut c: Vec<(usize, f64)> = (0..status.len())
        .filter(|&i| status[i] == Status::Candidate)
        .map(|i| (i, scores[i]))
        .filter(|(_, s)| !s.is_nan())
        .collect();
    c.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    c
}
