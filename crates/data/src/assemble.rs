//! Placing the rows of a [`RawTable`] on the panel grid (sorted dates × assets in first-seen order),
//! detecting repeated (date, asset) rows on the way.

use af_core::{Frequency, Panel};

use crate::dates::{format_datetime, infer_frequency, to_datetime};
use crate::error::{line_label, DataError};
use crate::options::{LoadReport, RepairKind, ValidationPolicy};
use crate::raw::{ColKind, RawTable, DROPPED};

/// Cell of the grid not filled by any row.
const EMPTY: u32 = u32::MAX;

/// `line L` (CSV) or `record L-1` (Parquet).
fn position_in_file(line: u64, columnar: bool) -> String {
    if columnar {
        format!("record {}", line.saturating_sub(1))
    } else {
        format!("line {line}")
    }
}

/// Build the panel of a raw long table.
///
/// Dates are sorted (a long file may list rows in any order); assets keep their first-seen order.
/// Under Strict a repeated (date, asset) is an error naming both lines; under Repair the last row
/// wins and the repeat is counted.
pub(crate) fn assemble(
    mut raw: RawTable,
    frequency: Option<Frequency>,
) -> Result<LoadReport, DataError> {
    let rows = raw.n_rows();
    let nd = raw.date_secs.len();
    let na = raw.assets.len();
    // Provisional date id (first seen) → rank in sorted order.
    let mut order: Vec<u32> = (0..nd as u32).collect();
    order.sort_unstable_by_key(|&i| raw.date_secs[i as usize]);
    let mut rank = vec![0u32; nd];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let sorted_secs: Vec<i64> = order.iter().map(|&i| raw.date_secs[i as usize]).collect();

    // Which row fills each cell (asset-major, like the panel).
    let n_cells = nd
        .checked_mul(na)
        .ok_or_else(|| DataError::InvalidArgument {
            name: "panel size",
            value: format!("{nd} dates × {na} assets"),
            hint: "the panel is too large for this machine".into(),
        })?;
    let mut cell_row = vec![EMPTY; n_cells];
    for r in 0..rows {
        let a = raw.row_asset[r];
        if a == DROPPED {
            continue;
        }
        let t = rank[raw.row_date[r] as usize] as usize;
        let cell = a as usize * nd + t;
        let prev = cell_row[cell];
        if prev != EMPTY {
            let asset = raw.assets[a as usize].clone();
            let date = format_datetime(&to_datetime(sorted_secs[t]), sorted_secs[t] % 86_400 == 0);
            let err = DataError::DuplicateRow {
                position: line_label(&raw.file, raw.lines.line(r), raw.columnar),
                first: position_in_file(raw.lines.line(prev as usize), raw.columnar),
                asset: asset.clone(),
                date,
            };
            match raw.policy {
                ValidationPolicy::Strict => return Err(err),
                ValidationPolicy::Repair => {
                    raw.repairs
                        .record(&asset, RepairKind::DuplicateRow, || err.to_string());
                }
            }
        }
        cell_row[cell] = r as u32;
    }
    drop(rank);
    drop(std::mem::take(&mut raw.row_date));
    drop(std::mem::take(&mut raw.row_asset));

    let frequency = frequency.unwrap_or_else(|| infer_frequency(&sorted_secs));
    let dates = sorted_secs.iter().map(|&s| to_datetime(s)).collect();
    let mut panel = Panel::new(dates, std::mem::take(&mut raw.assets), frequency)?;
    for (slot, m) in panel
        .meta_mut()
        .iter_mut()
        .zip(std::mem::take(&mut raw.meta))
    {
        *slot = m;
    }
    let mut ignored_columns = Vec::new();
    // One field at a time, freeing each raw column once placed, to bound peak memory.
    for f in std::mem::take(&mut raw.fields) {
        if f.kind == ColKind::Text {
            ignored_columns.push(f.name);
            continue;
        }
        let src = f.values;
        let mut values = vec![f64::NAN; n_cells];
        for (dst, &r) in values.iter_mut().zip(&cell_row) {
            if r != EMPTY {
                *dst = src[r as usize];
            }
        }
        drop(src);
        panel.insert_field(f.name, values)?;
    }
    Ok(LoadReport {
        panel,
        repairs: raw.repairs,
        rows,
        ignored_columns,
    })
}
