//! Correlation clustering against scipy 1.16.3 (`linkage(squareform(1 − |ρ|), "average")` +
//! `fcluster(t, "distance")`), fixture from `scripts/fixtures/alphalens_clustering.py`.
//! Partitions must be identical (labels compared after renumbering by first member).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_alpha::analysis::{cluster_average, prune_redundant};
use serde_json::Value;

fn renumber(labels: &[usize]) -> Vec<usize> {
    let mut seen: Vec<usize> = Vec::new();
    labels
        .iter()
        .map(|l| match seen.iter().position(|s| s == l) {
            Some(p) => p,
            None => {
                seen.push(*l);
                seen.len() - 1
            }
        })
        .collect()
}

#[test]
fn average_linkage_partitions_match_scipy() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/alphalens/clustering.json"
    );
    let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let n = fx["n"].as_u64().unwrap() as usize;
    let corr: Vec<f64> = fx["corr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let cuts = fx["cuts"].as_object().unwrap();
    assert!(cuts.len() >= 5);
    for (t, want) in cuts {
        let want: Vec<usize> = want
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let got = cluster_average(&corr, n, t.parse().unwrap()).unwrap();
        assert_eq!(renumber(&got), renumber(&want), "cut {t}");
    }
    // pruning at 0.8 keeps at most one member of any pair correlated above 0.8
    let scores: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let kept = prune_redundant(&scores, &corr, 0.8).unwrap();
    for (x, &a) in kept.iter().enumerate() {
        for &b in &kept[x + 1..] {
            assert!(corr[a * n + b].abs() <= 0.8);
        }
    }
    assert_eq!(kept[0], n - 1, "the best score is kept first");
}
