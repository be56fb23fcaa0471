//! Redundancy pruning and hierarchical clustering of alphas by correlation.
//!
//! Correlation between two alphas is the Pearson correlation of two of their daily series over
//! the dates where both exist (the CLI uses the daily top-minus-bottom spread at the first
//! horizon, i.e. their long-short P&L). Distance is `d = 1 − |ρ|`.
//!
//! * Pruning (greedy): visit alphas by decreasing |score| (|ICIR|; ties by input order); keep one
//!   unless its |ρ| with an already kept alpha exceeds `max_corr` (0.8 in PRODUCT A2).
//! * Clustering: agglomerative, average linkage (UPGMA; Sokal & Michener 1958): start with
//!   singletons, repeatedly merge the two closest clusters, where the distance of clusters `I`
//!   and `J` is the mean of `d(i, j)` over `i ∈ I, j ∈ J` (Lance–Williams update
//!   `d(K, I∪J) = (|I|·d(K, I) + |J|·d(K, J)) / (|I| + |J|)`), and stop when the closest pair
//!   is farther than the threshold — scipy's `fcluster(linkage(d, "average"), t, "distance")`.
//!   Ties merge the lowest-numbered pair first; labels are numbered by first member.

use rayon::prelude::*;

use super::error::AnalysisError;
use super::rank::pearson_pairwise;

/// `n × n` row-major matrix of pairwise-complete Pearson correlations of `series`
/// (diagonal 1; `NaN` where two series share fewer than 2 finite dates or one is constant).
pub fn correlation_matrix(series: &[&[f64]]) -> Vec<f64> {
    let n = series.len();
    let rows: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j {
                        1.0
                    } else {
                        pearson_pairwise(series[i], series[j])
                    }
                })
                .collect()
        })
        .collect();
    rows.concat()
}

fn check(n: usize, corr: &[f64], name: &'static str, value: f64) -> Result<(), AnalysisError> {
    if corr.len() != n * n {
        return Err(AnalysisError::CorrelationShape {
            n,
            expected: n * n,
            got: corr.len(),
        });
    }
    if !(0.0..=1.0).contains(&value) {
        return Err(AnalysisError::Parameter {
            name,
            value,
            reason: "must lie in [0, 1]",
        });
    }
    Ok(())
}

/// Greedy redundancy pruning: indices of the kept alphas, in the order they were kept.
/// A `NaN` correlation never makes an alpha redundant; a `NaN` score sorts last.
pub fn prune_redundant(
    scores: &[f64],
    corr: &[f64],
    max_corr: f64,
) -> Result<Vec<usize>, AnalysisError> {
    let n = scores.len();
    check(n, corr, "max_corr", max_corr)?;
    let key = |i: usize| {
        if scores[i].is_finite() {
            scores[i].abs()
        } else {
            -1.0
        }
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        if kept.iter().all(|&k| !(corr[i * n + k].abs() > max_corr)) {
            kept.push(i);
        }
    }
    Ok(kept)
}

/// Average-linkage clustering on `1 − |ρ|`, cut at distance `threshold`: one label per alpha
/// (0-based, numbered by first member). `NaN` correlations count as distance 1.
pub fn cluster_average(
    corr: &[f64],
    n: usize,
    threshold: f64,
) -> Result<Vec<usize>, AnalysisError> {
    check(n, corr, "threshold", threshold)?;
    let mut d: Vec<f64> = corr
        .iter()
        .map(|r| {
            if r.is_finite() {
                1.0 - r.abs().min(1.0)
            } else {
                1.0
            }
        })
        .collect();
    let mut size = vec![1usize; n];
    let mut alive: Vec<bool> = vec![true; n];
    let mut parent: Vec<usize> = (0..n).collect();
    loop {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            for j in i + 1..n {
                if alive[j] && d[i * n + j] < best.0 {
                    best = (d[i * n + j], i, j);
                }
            }
        }
        let (dist, i, j) = best;
        if !(dist <= threshold) {
            break;
        }
        // merge j into i
        for k in 0..n {
            if alive[k] && k != i && k != j {
                let v = (size[i] as f64 * d[k * n + i] + size[j] as f64 * d[k * n + j])
                    / (size[i] + size[j]) as f64;
                d[k * n + i] = v;
                d[i * n + k] = v;
            }
        }
        size[i] += size[j];
        alive[j] = false;
        parent[j] = i;
    }
    let root = |mut x: usize| {
        while parent[x] != x {
            x = parent[x];
        }
        x
    };
    let mut label_of_root = vec![usize::MAX; n];
    let mut next = 0;
    Ok((0..n)
        .map(|i| {
            let r = root(i);
            if label_of_root[r] == usize::MAX {
                label_of_root[r] = next;
                next += 1;
            }
            label_of_root[r]
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    // 4 alphas: 0 and 1 nearly identical, 2 anti-correlated with 0, 3 independent
    const C: [f64; 16] = [
        1.0, 0.95, -0.9, 0.1, //
        0.95, 1.0, -0.85, 0.0, //
        -0.9, -0.85, 1.0, 0.05, //
        0.1, 0.0, 0.05, 1.0,
    ];

    #[test]
    fn pruning_keeps_the_best_of_each_group() {
        let kept = prune_redundant(&[0.5, 0.9, -0.2, 0.3], &C, 0.8).unwrap();
        assert_eq!(kept, vec![1, 3]);
        assert_eq!(
            prune_redundant(&[0.5, 0.9, -0.2, 0.3], &C, 1.0).unwrap(),
            vec![1, 0, 3, 2]
        );
        assert!(prune_redundant(&[0.5], &C, 0.8).is_err());
        assert!(prune_redundant(&[0.5, 0.9, -0.2, 0.3], &C, 1.5).is_err());
    }

    #[test]
    fn clustering_by_hand() {
        // d(0,1) = 0.05 merges first; d({0,1}, 2) = (0.1 + 0.15) / 2 = 0.125; 3 stays apart
        assert_eq!(cluster_average(&C, 4, 0.2).unwrap(), vec![0, 0, 0, 1]);
        assert_eq!(cluster_average(&C, 4, 0.1).unwrap(), vec![0, 0, 1, 2]);
        assert_eq!(cluster_average(&C, 4, 0.0).unwrap(), vec![0, 1, 2, 3]);
        assert_eq!(cluster_average(&C, 4, 1.0).unwrap(), vec![0, 0, 0, 0]);
    }

    #[test]
    fn correlation_matrix_is_symmetric_with_unit_diagonal() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 4.0, 6.0, f64::NAN];
        let c = [4.0, 3.0, 2.0, 1.0];
        let m = correlation_matrix(&[&a, &b, &c]);
        assert_eq!(m[0], 1.0);
        assert!((m[1] - 1.0).abs() < 1e-12 && (m[3] - 1.0).abs() < 1e-12);
        assert!((m[2] + 1.0).abs() < 1e-12 && (m[6] + 1.0).abs() < 1e-12);
    }
}
