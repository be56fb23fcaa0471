//! alphafactory alpha engine: a formulaic expression language over [`af_core::Panel`], the 101
//! formulaic alphas of Kakushadze (2016), technical factors and feature transforms.
//!
//! # Pipeline
//! text → [`parser::parse`] (syntax tree with byte spans) → [`Plan::add`] (names, arity and
//! windows checked; shared sub-expressions interned once across the whole batch) →
//! [`evaluate`] (each node once, rayon across assets / dates; every alpha held to the end) or
//! [`evaluate_each`] (each alpha handed to a consumer as soon as it is computed, in the order
//! added, its buffer then recycled: memory of the live values only). Every error of the first
//! two stages carries the byte offset of the failing sub-expression and renders a caret line.
//!
//! ```
//! use af_alpha::{evaluate, Plan};
//! # use af_core::{Frequency, Panel};
//! # let dates = (1..=4).map(|d| chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
//! #     .and_hms_opt(0, 0, 0).unwrap()).collect();
//! # let mut panel = Panel::new(dates, vec!["A".into(), "B".into()], Frequency::Day1).unwrap();
//! # panel.insert_field("close", vec![1.0, 2.0, 3.0, 4.0, 4.0, 3.0, 2.0, 1.0]).unwrap();
//! let mut plan = Plan::for_panel(&panel);
//! plan.add("mom", "rank(delta(close, 1))").unwrap();
//! let err = plan.add("bad", "rank(close +)").unwrap_err();
//! assert_eq!(err.offset(), 12);
//! let out = evaluate(&plan, &panel).unwrap();
//! assert_eq!(out[0].values[1], 1.0); // asset A rose, B fell: A ranks 2/2
//! ```
//!
//! # Operators
//! `abs log sign sqrt`, `rank(x)`, `scale(x[, a])`, `signedpower(x, a)`, `delay(x, d)`,
//! `delta(x, d)`, `correlation(x, y, d)`, `covariance(x, y, d)`, `stddev(x, d)`, `sum(x, d)`,
//! `ts_mean(x, d)`, `product(x, d)`, `ts_min/ts_max/ts_argmin/ts_argmax(x, d)`, `ts_rank(x, d)`,
//! `decay_linear(x, d)`, `ema(x, d)`, `min/max(x, d)` (time series when `d` is a constant,
//! element-wise for two series), `greatest/least(a, b)` (always element-wise),
//! `indneutralize(x, IndClass.sector|industry|subindustry|market)`; `+ - * / ^`,
//! `< <= > >= == !=`, `&& ||`, `c ? a : b`. Names are panel fields (`open high low close volume
//! vwap cap …`), `returns` (derived as `close/delay(close,1) − 1` when the panel lacks it) and
//! `adv{d}` (`ts_mean(volume, d)`). Function names are case-insensitive (`Ts_Rank`, `IndNeutralize`).
//!
//! # Semantics (the reference implementation `scripts/fixtures/alpha101_reference.py` follows them)
//! * Non-integer windows are floored (`9.91009` → 9); windows must be constants.
//! * Rolling windows include today and are `NaN` until `d` values are seen; a `NaN` in the window
//!   gives `NaN`.
//! * `rank` is the cross-sectional percentile rank per date with average ties: average rank / number
//!   of valid values, in (0, 1].
//! * `stddev` and `covariance` use ddof = 1; `correlation` is rolling Pearson, `NaN` when either
//!   side is constant over the window.
//! * `ts_rank` = rank of today among the last `d` values, 1..d, average ties.
//! * `ts_argmax` / `ts_argmin` = 1-based position from the oldest day of the window, first
//!   occurrence on ties.
//! * `decay_linear` weights d, d−1, …, 1 (today heaviest) divided by d(d+1)/2.
//! * `scale(x, a)` = `x·a / Σ|x|` over the date's valid values; `signedpower(x, a)` = sign(x)·|x|^a.
//! * `indneutralize` subtracts the group's mean on the date; assets without the classification
//!   form one group.
//! * Comparisons and `&& ||` give 1 or 0; a comparison with `NaN` is false; a `NaN` condition of
//!   `? :` gives `NaN`; ±∞ anywhere becomes `NaN`.
//! * `ema(x, d)`: α = 2/(d+1), seeded with the mean of the first `d` values.
//!
//! Kernels: windows up to 32 days are computed directly, 16 consecutive windows per block
//! (two-pass moments, `ts_rank`, `product`, `decay_linear`, `ts_min/max/argmin/argmax`),
//! bit-identical to one window at a time; longer windows are O(n) (re-anchored shifted sums,
//! monotone deques). Cross-sectional rank is an exact two-pass radix sort of quantized values
//! (levels shared by distinct values fall back to a recursive bucket sort) on date-major tiles of
//! 256 KiB, gathered and scattered in one pass per operator; element-wise chains are fused and evaluated per cache-sized chunk.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod error;
pub mod eval;
pub mod kernels;
pub mod library;
pub mod parser;
pub mod plan;
pub mod transform;

pub use error::{AlphaError, EvalError, ExprError, ExprErrorKind, Span};
pub use eval::{evaluate, evaluate_each, AlphaRef, AlphaValues};
pub use plan::{Group, Node, NodeId, Plan};

/// Check and evaluate a batch of `(name, source)` expressions over `panel` in one plan.
pub fn evaluate_batch<N: AsRef<str>, S: AsRef<str>>(
    panel: &af_core::Panel,
    exprs: &[(N, S)],
) -> Result<Vec<AlphaValues>, AlphaError> {
    let mut plan = Plan::for_panel(panel);
    for (name, src) in exprs {
        plan.add(name.as_ref(), src.as_ref())
            .map_err(|source| AlphaError::Expr {
                name: name.as_ref().to_string(),
                source,
            })?;
    }
    Ok(evaluate(&plan, panel)?)
}
