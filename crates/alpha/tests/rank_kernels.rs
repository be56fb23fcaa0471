//! Property tests of the exact rank kernels: the bucket-counting [`Ranker`] (every path: the
//! probe window, all-equal and pairwise crowded buckets, the recursive bucket sort, short rows)
//! and `ts_rank` against a plain comparison sort on random rows with many ties, both signs of
//! zero, infinities, far outliers and `NaN`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_alpha::kernels::ranker::Ranker;
use af_alpha::kernels::window::{window, WindowOp};
use proptest::prelude::*;

/// Average ranks by a comparison sort: sort the valid `(value, position)` pairs, give every run
/// of equal values the mean of the 1-based ranks it spans, divide by the valid count if asked.
fn sorted_ranks(row: &[f64], divide: bool) -> Vec<f64> {
    let mut pairs: Vec<(f64, usize)> = row
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, &v)| (v, i))
        .collect();
    pairs.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let n = pairs.len();
    let denom = if divide { n as f64 } else { 1.0 };
    let mut out = vec![f64::NAN; row.len()];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        for &(_, p) in &pairs[i..j] {
            out[p] = (i + 1 + j) as f64 / 2.0 / denom;
        }
        i = j;
    }
    out
}

/// One value of a test row: a few levels (large tie groups), many levels (pairs and triples of
/// ties inside small buckets), spread values, zeros of both signs, `NaN`, far outliers.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (-4i32..5).prop_map(|k| f64::from(k) * 0.25),
        6 => -1.0f64..1.0,
        6 => (-200i32..200).prop_map(|k| f64::from(k) / 128.0),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(f64::NAN),
        1 => -1e12f64..1e12,
        1 => 1.0f64..1.0 + 1e-12,
    ]
}

/// A row of [`value`]s; one time in eight an infinity or `f64::MAX` at a random position (a row
/// the bucket map cannot span).
fn row(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
    (
        prop::collection::vec(value(), 0..max_len),
        0usize..24,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut row, kind, at)| {
            if !row.is_empty() && kind < 3 {
                let special = [f64::INFINITY, f64::NEG_INFINITY, f64::MAX][kind];
                let k = at.index(row.len());
                row[k] = special;
            }
            row
        })
}

fn same(got: &[f64], want: &[f64]) -> Result<(), TestCaseError> {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        prop_assert!(
            g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
            "position {k}: {g} vs {w}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn ranker_equals_a_comparison_sort(row in row(700), divide: bool) {
        let want = sorted_ranks(&row, divide);
        let mut got = row.clone();
        let n = Ranker::new().rank_in_place(&mut got, divide);
        prop_assert_eq!(n, row.iter().filter(|v| !v.is_nan()).count());
        same(&got, &want)?;
    }

    #[test]
    fn ranker_reused_across_rows_of_other_lengths(
        rows in prop::collection::vec(row(300), 1..6)
    ) {
        let mut ranker = Ranker::new();
        for row in rows {
            let want = sorted_ranks(&row, true);
            let mut got = row.clone();
            ranker.rank_in_place(&mut got, true);
            same(&got, &want)?;
        }
    }

    #[test]
    fn ts_rank_equals_ranking_each_window(
        x in row(200),
        d in 1usize..40,
    ) {
        let mut got = vec![0.0; x.len()];
        window(WindowOp::TsRank, &x, d, &mut got);
        for t in 0..x.len() {
            if t + 1 < d || x[t + 1 - d..=t].iter().any(|v| v.is_nan()) {
                prop_assert!(got[t].is_nan(), "t={}", t);
                continue;
            }
            let ranks = sorted_ranks(&x[t + 1 - d..=t], false);
            prop_assert_eq!(got[t].to_bits(), ranks[d - 1].to_bits(), "t={}", t);
        }
    }
}
