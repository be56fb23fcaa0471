//! Cross-sectional operators, one date at a time: `rank`, `scale` and `indneutralize`.
//!
//! The panel is column-major by asset, so a date's cross-section is strided. The kernels
//! transpose the buffer into a date-major scratch, a block of dates at a time (reading each
//! asset's contiguous run of the block), work on each date's contiguous row in place, and
//! transpose back `BACK` assets per task in tiles of `TILE` dates (each date's read is `BACK`
//! contiguous values of the scratch, each column receives whole cache lines: the earlier 8-asset
//! tasks touched a new page of the scratch for every 8 values and cost half as much as the
//! ranking). Both phases run in parallel with rayon; every date is computed by the same code
//! whatever the thread count, so results do not depend on it. Ranks come from the radix sort of
//! [`Ranker`].

use rayon::prelude::*;

use super::ranker::{order_key, Ranker};

/// Dates per tile of the first transpose.
const BLOCK: usize = 64;
/// Assets read together by the first transpose (one sequential read stream each).
const ASSETS: usize = 8;
/// Assets per task of the transpose back: each date's read is `BACK` contiguous values of the
/// scratch, so a page of it is visited once per `BACK` values rather than once per cache line.
const BACK: usize = 64;
/// Dates per tile of the transpose back.
const TILE: usize = 8;

/// A cross-sectional operator.
#[derive(Debug, Clone, PartialEq)]
pub enum CrossOp<'a> {
    /// Percentile rank among the day's valid values: average rank (1-based, ties averaged)
    /// divided by the number of valid values, in (0, 1].
    Rank,
    /// `x · a / Σ|x|` over the day's valid values.
    Scale(f64),
    /// `x − mean(x over the asset's group)`; `groups[asset]` is a group id `< n_groups`.
    Neutralize {
        /// Group id of every asset.
        groups: &'a [usize],
        /// Number of distinct groups.
        n_groups: usize,
    },
}

/// Average ranks (1-based; ties get the mean of the ranks they span) of the non-`NaN` values of
/// `row` into `out` (`NaN` where the input is `NaN`); returns the number of valid values.
pub fn average_ranks(row: &[f64], out: &mut [f64], scratch: &mut Vec<(u64, u32)>) -> usize {
    scratch.clear();
    scratch.extend(
        row.iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(|(i, &v)| (order_key(v), i as u32)),
    );
    scratch.sort_unstable();
    for o in out.iter_mut() {
        *o = f64::NAN;
    }
    let n = scratch.len();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && scratch[j].0 == scratch[i].0 {
            j += 1;
        }
        // positions i..j (0-based) share the average of ranks i+1..=j
        let avg = (i + 1 + j) as f64 / 2.0;
        for &(_, idx) in &scratch[i..j] {
            out[idx as usize] = avg;
        }
        i = j;
    }
    n
}

/// Reusable per-task buffers of the row operators.
#[derive(Debug, Default)]
struct RowScratch {
    ranker: Ranker,
    sum: Vec<f64>,
    count: Vec<usize>,
}

/// `op` on one date's cross-section, in place.
fn row_op(op: &CrossOp<'_>, row: &mut [f64], scratch: &mut RowScratch) {
    match op {
        CrossOp::Rank => {
            scratch.ranker.rank_in_place(row, true);
        }
        CrossOp::Scale(a) => {
            let s: f64 = row.iter().filter(|v| !v.is_nan()).map(|v| v.abs()).sum();
            for v in row.iter_mut() {
                let r = *v * a / s;
                *v = if r.is_finite() { r } else { f64::NAN };
            }
        }
        CrossOp::Neutralize { groups, n_groups } => {
            let (sum, cnt) = (&mut scratch.sum, &mut scratch.count);
            sum.clear();
            sum.resize(*n_groups, 0.0);
            cnt.clear();
            cnt.resize(*n_groups, 0);
            for (&v, &g) in row.iter().zip(groups.iter()) {
                if !v.is_nan() {
                    sum[g] += v;
                    cnt[g] += 1;
                }
            }
            for (v, &g) in row.iter_mut().zip(groups.iter()) {
                *v -= sum[g] / cnt[g].max(1) as f64;
            }
        }
    }
}

/// Apply `op` to every date of the column-major buffer `x` (`n_dates × n_assets`).
pub fn cross_section(op: &CrossOp<'_>, x: &[f64], n_dates: usize, n_assets: usize) -> Vec<f64> {
    cross_section_tiled(op, x, n_dates, n_assets, Vec::new())
}

/// [`cross_section`] writing into a recycled buffer (resized to `x.len()`, fully overwritten),
/// with `scratch` (any content; resized to `x.len()`) as the date-major work space.
pub fn cross_section_into(
    op: &CrossOp<'_>,
    x: &[f64],
    n_dates: usize,
    n_assets: usize,
    mut out: Vec<f64>,
    scratch: &mut Vec<f64>,
) -> Vec<f64> {
    out.resize(x.len(), f64::NAN);
    if n_dates == 0 || n_assets == 0 || x.len() != n_dates * n_assets {
        out.fill(f64::NAN);
        return out;
    }
    let dm = scratch;
    dm.resize(x.len(), 0.0);
    // date-major tiles of BLOCK dates, each filled from the assets' contiguous runs
    dm.par_chunks_mut(BLOCK * n_assets)
        .enumerate()
        .for_each_init(RowScratch::default, |rs, (k, tile)| {
            let t0 = k * BLOCK;
            // ASSETS columns at a time: ASSETS sequential read streams, one cache line of the
            // tile written per date
            let rows = tile.len() / n_assets;
            let mut runs = [[0.0; BLOCK]; ASSETS];
            for a0 in (0..n_assets).step_by(ASSETS) {
                let m = ASSETS.min(n_assets - a0);
                // the assets' runs of this block's dates, copied whole, then spread over rows
                for (j, run) in runs.iter_mut().enumerate().take(m) {
                    let start = (a0 + j) * n_dates + t0;
                    run[..rows].copy_from_slice(&x[start..start + rows]);
                }
                for (r, row) in tile.chunks_mut(n_assets).enumerate() {
                    for (o, run) in row[a0..a0 + m].iter_mut().zip(&runs) {
                        *o = run[r];
                    }
                }
            }
            for row in tile.chunks_mut(n_assets) {
                row_op(op, row, rs);
            }
        });
    // back to column-major, BACK columns per task: each date's read is BACK contiguous values
    let dm = &*dm;
    out.par_chunks_mut(BACK * n_dates)
        .enumerate()
        .for_each(|(k, cols)| {
            let a0 = k * BACK;
            let m = cols.len() / n_dates;
            // TILE dates at a time: each column receives TILE consecutive values (whole cache
            // lines) while the TILE rows read stay in L1
            let mut tile = [[0.0; TILE]; BACK];
            for t0 in (0..n_dates).step_by(TILE) {
                let t1 = (t0 + TILE).min(n_dates);
                for (k, t) in (t0..t1).enumerate() {
                    let src = &dm[t * n_assets + a0..t * n_assets + a0 + m];
                    for (row, &v) in tile.iter_mut().zip(src) {
                        row[k] = v;
                    }
                }
                for (row, col) in tile.iter().zip(cols.chunks_exact_mut(n_dates)) {
                    col[t0..t1].copy_from_slice(&row[..t1 - t0]);
                }
            }
        });
    out
}

/// Cells of a date tile of [`cross_section_tiled`]: 256 KiB, within a core's L2 cache while the
/// tile is filled, worked on and written back.
const TILE_CELLS: usize = 1 << 15;

/// [`cross_section`] in one pass over the buffer: every task gathers a block of dates (64 for 500
/// assets, at least 8, so that each asset's run is at least a cache line) of all assets into a
/// date-major tile of its own (each asset's contiguous run of those dates, 8 assets
/// at a time), applies `op` to each row in place and writes the runs back into `out` (resized to
/// `x.len()`, fully overwritten). The panel is read once and written once — the two-phase form
/// above went through a panel-sized date-major scratch, which doubled the memory traffic — and
/// every row is computed by the same code whatever the number of threads.
pub fn cross_section_tiled(
    op: &CrossOp<'_>,
    x: &[f64],
    n_dates: usize,
    n_assets: usize,
    mut out: Vec<f64>,
) -> Vec<f64> {
    out.resize(x.len(), f64::NAN);
    if n_dates == 0 || n_assets == 0 || x.len() != n_dates * n_assets {
        out.fill(f64::NAN);
        return out;
    }
    let tile_dates = (TILE_CELLS / n_assets).clamp(8, 64);
    // the output cut into per-task groups: task k owns dates k·tile_dates.. of every asset
    let n_tasks = n_dates.div_ceil(tile_dates);
    let mut runs: Vec<Vec<&mut [f64]>> =
        (0..n_tasks).map(|_| Vec::with_capacity(n_assets)).collect();
    for col in out.chunks_mut(n_dates) {
        for (task, run) in runs.iter_mut().zip(col.chunks_mut(tile_dates)) {
            task.push(run);
        }
    }
    runs.into_par_iter().enumerate().for_each_init(
        || (RowScratch::default(), Vec::new()),
        |(rs, tile), (k, mut outs)| {
            let t0 = k * tile_dates;
            let rows = tile_dates.min(n_dates - t0);
            tile.resize(rows * n_assets, 0.0);
            gather(x, n_dates, t0, rows, n_assets, tile);
            for row in tile.chunks_mut(n_assets) {
                row_op(op, row, rs);
            }
            scatter(tile, rows, n_assets, &mut outs);
            outs.clear();
        },
    );
    out
}

/// Dates `t0..t0 + rows` of every asset of the column-major `x` into the date-major `tile`
/// (`rows × n_assets`), `ASSETS` assets at a time: their runs are read as contiguous streams and
/// each tile row receives `ASSETS` consecutive cells.
fn gather(x: &[f64], n_dates: usize, t0: usize, rows: usize, n_assets: usize, tile: &mut [f64]) {
    let mut a0 = 0;
    while a0 + ASSETS <= n_assets {
        let runs: [&[f64]; ASSETS] = std::array::from_fn(|j| {
            let start = (a0 + j) * n_dates + t0;
            &x[start..start + rows]
        });
        for (r, row) in tile.chunks_exact_mut(n_assets).enumerate() {
            let cells = &mut row[a0..a0 + ASSETS];
            for (o, run) in cells.iter_mut().zip(&runs) {
                *o = run[r];
            }
        }
        a0 += ASSETS;
    }
    for a in a0..n_assets {
        let run = &x[a * n_dates + t0..a * n_dates + t0 + rows];
        for (row, &v) in tile.chunks_exact_mut(n_assets).zip(run) {
            row[a] = v;
        }
    }
}

/// The date-major `tile` (`rows × n_assets`) back into each asset's run of `outs`.
fn scatter(tile: &[f64], rows: usize, n_assets: usize, outs: &mut [&mut [f64]]) {
    for (a, run) in outs.iter_mut().enumerate().take(n_assets) {
        for (o, row) in run[..rows].iter_mut().zip(tile.chunks_exact(n_assets)) {
            *o = row[a];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Column-major buffer from rows (one row per date).
    fn cm(rows: &[&[f64]]) -> Vec<f64> {
        let (nd, na) = (rows.len(), rows[0].len());
        let mut v = vec![0.0; nd * na];
        for (t, r) in rows.iter().enumerate() {
            for (a, &x) in r.iter().enumerate() {
                v[a * nd + t] = x;
            }
        }
        v
    }

    #[test]
    fn rank_is_average_percentile() {
        let x = cm(&[&[3.0, 1.0, 3.0, f64::NAN], &[1.0, 2.0, 3.0, 4.0]]);
        let r = cross_section(&CrossOp::Rank, &x, 2, 4);
        // day 0: valid {3,1,3}: ranks 2.5, 1, 2.5 over 3
        assert_eq!(r[0], 2.5 / 3.0);
        assert_eq!(r[2], 1.0 / 3.0);
        assert_eq!(r[4], 2.5 / 3.0);
        assert!(r[6].is_nan());
        assert_eq!(r[7], 1.0);
    }

    #[test]
    fn scale_and_neutralize() {
        let x = cm(&[&[1.0, -3.0, f64::NAN, 4.0]]);
        let s = cross_section(&CrossOp::Scale(2.0), &x, 1, 4);
        assert_eq!((s[0], s[1], s[3]), (0.25, -0.75, 1.0));
        assert!(s[2].is_nan());
        let groups = [0, 1, 0, 1];
        let n = cross_section(
            &CrossOp::Neutralize {
                groups: &groups,
                n_groups: 2,
            },
            &x,
            1,
            4,
        );
        assert_eq!(n[0], 0.0);
        assert_eq!(n[1], -3.5);
        assert!(n[2].is_nan());
        assert_eq!(n[3], 3.5);
    }

    #[test]
    fn partial_tiles_of_every_shape() {
        for (nd, na) in [(1, 1), (1, 70), (70, 1), (65, 130), (9, 64), (8, 65)] {
            let x: Vec<f64> = (0..nd * na)
                .map(|i| ((i * 7919 + 13) % 97) as f64 * if i % 5 == 0 { -1.0 } else { 1.0 })
                .collect();
            let r = cross_section(&CrossOp::Rank, &x, nd, na);
            let s = cross_section(&CrossOp::Scale(1.0), &x, nd, na);
            for t in 0..nd {
                let row: Vec<f64> = (0..na).map(|a| x[a * nd + t]).collect();
                let total: f64 = row.iter().map(|v| v.abs()).sum();
                for a in 0..na {
                    let v = row[a];
                    let less = row.iter().filter(|&&w| w < v).count() as f64;
                    let eq = row.iter().filter(|&&w| w == v).count() as f64;
                    let want = (less + (eq + 1.0) / 2.0) / na as f64;
                    assert_eq!(r[a * nd + t], want, "nd={nd} na={na} t={t} a={a}");
                    let scaled = v / total;
                    let want = if scaled.is_finite() { scaled } else { f64::NAN };
                    let got = s[a * nd + t];
                    assert!(got == want || (got.is_nan() && want.is_nan()));
                }
            }
        }
    }

    #[test]
    fn tiled_equals_two_phase_form() {
        for (nd, na) in [(1, 3), (31, 9), (33, 500), (100, 17), (64, 64)] {
            let x: Vec<f64> = (0..nd * na)
                .map(|i| match i % 11 {
                    3 => f64::NAN,
                    _ => ((i * 7919 + 5) % 101) as f64 - 50.0,
                })
                .collect();
            let groups: Vec<usize> = (0..na).map(|a| a % 3).collect();
            let ops = [
                CrossOp::Rank,
                CrossOp::Scale(1.5),
                CrossOp::Neutralize {
                    groups: &groups,
                    n_groups: 3,
                },
            ];
            for op in &ops {
                let tiled = cross_section_tiled(op, &x, nd, na, vec![7.0; 3]);
                let two = cross_section_into(op, &x, nd, na, Vec::new(), &mut Vec::new());
                let same = tiled
                    .iter()
                    .zip(&two)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same && tiled.len() == two.len(), "{op:?} nd={nd} na={na}");
            }
        }
    }

    #[test]
    fn many_dates_cross_blocks() {
        let nd = 150;
        let na = 100; // many ties
        let x: Vec<f64> = (0..nd * na).map(|i| ((i * 7919) % 13) as f64).collect();
        let r = cross_section(&CrossOp::Rank, &x, nd, na);
        for t in 0..nd {
            let row: Vec<f64> = (0..na).map(|a| x[a * nd + t]).collect();
            for a in 0..na {
                let less = row.iter().filter(|&&v| v < row[a]).count() as f64;
                let eq = row.iter().filter(|&&v| v == row[a]).count() as f64;
                assert_eq!(r[a * nd + t], (less + (eq + 1.0) / 2.0) / na as f64);
            }
        }
    }
}
