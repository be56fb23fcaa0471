//! Cost of one cross-sectional operator over a panel-sized buffer (gather into date tiles, the
//! row operation, scatter back): `cargo run --release -p af-alpha --example cross_tiles
//! [n_assets] [n_dates] [repeat]`. `scale` is nearly free per row, so its time is the cost of
//! moving the data; `rank` adds the sort.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use af_alpha::kernels::cross::{cross_section_tiled, CrossOp};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("arguments are n_assets n_dates repeat"))
        .collect();
    let na = args.first().copied().unwrap_or(500);
    let nd = args.get(1).copied().unwrap_or(2520);
    let repeat = args.get(2).copied().unwrap_or(20);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let x: Vec<f64> = (0..na * nd)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect();
    let mut out = Vec::new();
    for (name, op) in [("scale", CrossOp::Scale(1.0)), ("rank", CrossOp::Rank)] {
        out = cross_section_tiled(&op, &x, nd, na, out);
        let t0 = Instant::now();
        for _ in 0..repeat {
            out = cross_section_tiled(&op, &x, nd, na, out);
        }
        let ms = t0.elapsed().as_secs_f64() * 1e3 / repeat as f64;
        println!(
            "{name}: {na} x {nd}: {ms:.2} ms per operator (checksum {:.6})",
            out.iter().filter(|v| v.is_finite()).sum::<f64>()
        );
    }
}
