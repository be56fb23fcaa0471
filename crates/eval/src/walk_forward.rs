//! Walk-forward splits: time-ordered train/test windows that never let the test span leak into
//! training.
//!
//! A scheme covers a series of `n` observations (indices `0..n`). The **test span** is either the
//! last `test` observations (`test: Some(t)` → `n−t..n`) or everything after the first training
//! window (`test: None` → `train+gap..n`). The test span is cut into consecutive blocks of
//! `refit_every` observations (the last block may be shorter); the model is refit once per block,
//! on data that ends `gap` observations before the block starts:
//!
//! ```text
//! block k starts at  s_k = s_0 + k·refit_every,   test_k  = s_k .. min(s_k + refit_every, n)
//! rolling:           train_k = s_k − gap − train .. s_k − gap      (fixed length `train`)
//! expanding:         train_k = 0 .. s_k − gap                      (all history so far)
//! ```
//!
//! `gap` (an embargo, 0 by default) keeps targets that look `h` steps ahead — e.g. realized
//! variance over the next `h` days — out of the training rows whose labels would overlap the test
//! block: use `gap = h − 1`.
//!
//! Every test index of the span belongs to exactly one window, windows are in time order, and every
//! training index is smaller than every test index of its window.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::EvalError;

/// How the training window moves between refits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TrainWindow {
    /// Fixed length `train`, sliding forward with the test blocks.
    #[default]
    Rolling,
    /// Starts at index 0 and grows with every refit.
    Expanding,
}

/// A walk-forward scheme (the `walk_forward:` entry of an experiment file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkForward {
    /// Training length (rolling) or length of the first training window (expanding), ≥ 1.
    pub train: usize,
    /// Length of the test span at the end of the series; `None` = every observation after the
    /// first training window (and gap).
    #[serde(default)]
    pub test: Option<usize>,
    /// Refit every this many observations: the length of each test block, ≥ 1.
    pub refit_every: usize,
    /// Rolling or expanding training window.
    #[serde(default)]
    pub window: TrainWindow,
    /// Observations left out between the end of training and the start of each test block.
    #[serde(default)]
    pub gap: usize,
}

/// One refit of a walk-forward scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// Indices the model is fit on.
    pub train: Range<usize>,
    /// Indices it forecasts before the next refit.
    pub test: Range<usize>,
    /// Ordinal of this refit: 0 for the first window, 1 for the next, ...
    pub refit_index: usize,
}

impl WalkForward {
    /// A rolling scheme with no gap.
    pub fn rolling(train: usize, test: Option<usize>, refit_every: usize) -> Self {
        WalkForward {
            train,
            test,
            refit_every,
            window: TrainWindow::Rolling,
            gap: 0,
        }
    }

    /// An expanding scheme with no gap.
    pub fn expanding(train: usize, test: Option<usize>, refit_every: usize) -> Self {
        WalkForward {
            window: TrainWindow::Expanding,
            ..WalkForward::rolling(train, test, refit_every)
        }
    }

    /// The test span `start..n` of this scheme over a series of length `n`, after checking that the
    /// scheme fits in the series.
    pub fn test_span(&self, n: usize) -> Result<Range<usize>, EvalError> {
        if n == 0 {
            return Err(EvalError::param("n", n, "the series is empty"));
        }
        if self.train == 0 {
            return Err(EvalError::param("train", self.train, "must be at least 1"));
        }
        if self.refit_every == 0 {
            return Err(EvalError::param(
                "refit_every",
                self.refit_every,
                "must be at least 1",
            ));
        }
        let warmup = self.train.saturating_add(self.gap);
        let start = match self.test {
            Some(0) => {
                return Err(EvalError::param(
                    "test",
                    0,
                    "must be at least 1 (or omitted)",
                ))
            }
            Some(t) => {
                let needed = warmup.saturating_add(t);
                if needed > n {
                    return Err(EvalError::param(
                        "test",
                        t,
                        format!(
                            "train ({}) + gap ({}) + test ({t}) = {needed} exceeds the series \
                             length {n}; shorten train or test",
                            self.train, self.gap
                        ),
                    ));
                }
                n - t
            }
            None => {
                if warmup >= n {
                    return Err(EvalError::param(
                        "train",
                        self.train,
                        format!(
                            "train ({}) + gap ({}) leaves no observation to test in a series of \
                             length {n}",
                            self.train, self.gap
                        ),
                    ));
                }
                warmup
            }
        };
        Ok(start..n)
    }

    /// The windows of this scheme over a series of length `n`, in time order.
    pub fn windows(&self, n: usize) -> Result<Vec<Window>, EvalError> {
        let span = self.test_span(n)?;
        let mut out = Vec::with_capacity(span.len().div_ceil(self.refit_every));
        let mut s = span.start;
        while s < n {
            let end = s.saturating_add(self.refit_every).min(n);
            let train_end = s - self.gap;
            let train_start = match self.window {
                TrainWindow::Rolling => train_end - self.train,
                TrainWindow::Expanding => 0,
            };
            out.push(Window {
                train: train_start..train_end,
                test: s..end,
                refit_index: out.len(),
            });
            s = end;
        }
        Ok(out)
    }
}

/// The windows of `scheme` over a series of length `n` (see [`WalkForward::windows`]).
pub fn walk_forward(n: usize, scheme: &WalkForward) -> Result<Vec<Window>, EvalError> {
    scheme.windows(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(w: &[Window]) -> Vec<(Range<usize>, Range<usize>)> {
        w.iter()
            .map(|w| (w.train.clone(), w.test.clone()))
            .collect()
    }

    #[test]
    fn rolling_by_hand() {
        // n = 10, train 4, refit 3, test = rest: span 4..10 → blocks 4..7, 7..10;
        // rolling train ends at the block start and is 4 long: 0..4, 3..7.
        let w = walk_forward(10, &WalkForward::rolling(4, None, 3)).unwrap();
        assert_eq!(pairs(&w), vec![(0..4, 4..7), (3..7, 7..10)]);
        assert_eq!(w[1].refit_index, 1);
    }

    #[test]
    fn expanding_by_hand_with_short_last_block() {
        // n = 11, train 4, refit 3: blocks 4..7, 7..10, 10..11; train 0..4, 0..7, 0..10.
        let w = walk_forward(11, &WalkForward::expanding(4, None, 3)).unwrap();
        assert_eq!(
            pairs(&w),
            vec![(0..4, 4..7), (0..7, 7..10), (0..10, 10..11)]
        );
    }

    #[test]
    fn test_span_at_the_end_and_gap() {
        // n = 20, test 5 → span 15..20; refit 2 → 15..17, 17..19, 19..20;
        // gap 2: train ends 2 before each block, rolling length 4: 9..13, 11..15, 13..17.
        let scheme = WalkForward {
            gap: 2,
            ..WalkForward::rolling(4, Some(5), 2)
        };
        let w = scheme.windows(20).unwrap();
        assert_eq!(
            pairs(&w),
            vec![(9..13, 15..17), (11..15, 17..19), (13..17, 19..20)]
        );
        // Expanding with a gap and test = rest: span starts at train + gap = 6.
        let scheme = WalkForward {
            gap: 2,
            ..WalkForward::expanding(4, None, 10)
        };
        assert_eq!(pairs(&scheme.windows(12).unwrap()), vec![(0..4, 6..12)]);
    }

    #[test]
    fn one_block_when_refit_exceeds_span() {
        let w = walk_forward(10, &WalkForward::rolling(3, Some(4), 100)).unwrap();
        assert_eq!(pairs(&w), vec![(3..6, 6..10)]);
    }

    #[test]
    fn impossible_schemes_name_the_parameter() {
        let bad = |s: WalkForward, n: usize, p: &str| match s.windows(n) {
            Err(EvalError::BadParameter { param, .. }) => assert_eq!(param, p),
            other => panic!("expected error on {p}, got {other:?}"),
        };
        bad(WalkForward::rolling(0, None, 1), 10, "train");
        bad(WalkForward::rolling(10, None, 1), 10, "train");
        bad(WalkForward::rolling(3, None, 0), 10, "refit_every");
        bad(WalkForward::rolling(3, Some(0), 1), 10, "test");
        bad(WalkForward::rolling(8, Some(3), 1), 10, "test");
        bad(WalkForward::rolling(3, None, 1), 0, "n");
        let msg = WalkForward::rolling(8, Some(3), 1)
            .windows(10)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("exceeds the series length 10"), "{msg}");
    }

    #[test]
    fn scheme_reads_from_json_with_defaults() {
        let s: WalkForward =
            serde_json::from_str(r#"{"train": 1000, "refit_every": 22, "test": 252}"#).unwrap();
        assert_eq!(s, WalkForward::rolling(1000, Some(252), 22));
        assert!(
            serde_json::from_str::<WalkForward>(r#"{"train": 1, "refit_every": 1, "x": 1}"#)
                .is_err()
        );
    }
}
