//! Every bad-file case is an error whose message names the file, the line (header = line 1), the
//! column (name and 1-based index) and the value, and says what to do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use af_data::{read_long, read_wide, DataError, ReadOptions, WideOptions};

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn long_err(name: &str, text: &str) -> (DataError, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, name, text);
    let e = read_long(&p, &ReadOptions::default()).expect_err("must fail");
    let msg = e.to_string();
    (e, msg)
}

fn assert_has(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "message `{msg}` lacks `{p}`");
    }
}

const HEAD: &str = "date,asset,open,high,low,close,volume\n";

#[test]
fn unparsable_number_names_line_column_value() {
    let text = format!("{HEAD}2024-01-02,A,1,2,1,1.5,100\n2024-01-03,A,1,2,1,abc,100\n");
    let (e, msg) = long_err("bad_num.csv", &text);
    assert!(matches!(e, DataError::BadNumber { .. }));
    assert_has(
        &msg,
        &[
            "bad_num.csv",
            "line 3",
            "column `close` (#6)",
            "value `abc`",
            "leave the cell empty",
        ],
    );
}

#[test]
fn unparsable_date_names_line_column_value() {
    let text = format!("{HEAD}2024-01-02,A,1,2,1,1.5,100\n2024-13-45,A,1,2,1,1.5,100\n");
    let (e, msg) = long_err("bad_date.csv", &text);
    assert!(matches!(e, DataError::BadDate { .. }));
    assert_has(
        &msg,
        &[
            "bad_date.csv",
            "line 3",
            "column `date` (#1)",
            "value `2024-13-45`",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn missing_required_column_lists_the_header() {
    let (e, msg) = long_err("no_close.csv", "date,asset,open\n2024-01-02,A,1\n");
    assert!(matches!(e, DataError::MissingColumn { .. }));
    assert_has(
        &msg,
        &[
            "no_close.csv",
            "missing required column `close`",
            "date, asset, open",
        ],
    );
    let (_, msg) = long_err("no_asset.csv", "date,close\n2024-01-02,1\n");
    assert_has(&msg, &["no_asset.csv", "`asset`", "ticker/symbol"]);
}

#[test]
fn duplicate_rows_name_both_lines() {
    let text = format!(
        "{HEAD}2024-01-02,A,1,2,1,1.5,100\n2024-01-02,B,1,2,1,1.5,100\n2024-01-02,A,1,2,1,1.6,100\n"
    );
    let (e, msg) = long_err("dup.csv", &text);
    assert!(matches!(e, DataError::DuplicateRow { .. }));
    assert_has(
        &msg,
        &[
            "dup.csv, line 4",
            "asset `A`",
            "2024-01-02",
            "first seen at line 2",
            "Repair",
        ],
    );
}

#[test]
fn non_positive_price_names_the_cell() {
    let text = format!("{HEAD}2024-01-02,A,1,2,1,1.5,100\n2024-01-03,XYZ,0,2,1,1.5,100\n");
    let (e, msg) = long_err("zero.csv", &text);
    assert!(matches!(e, DataError::NonPositivePrice { .. }));
    assert_has(
        &msg,
        &[
            "zero.csv",
            "line 3",
            "column `open` (#3)",
            "value `0`",
            "asset `XYZ`",
            "positive",
        ],
    );
}

#[test]
fn high_below_low_names_the_cell() {
    let text = format!("{HEAD}2024-01-02,A,1,0.9,1.2,1.0,100\n");
    let (e, msg) = long_err("hl.csv", &text);
    assert!(matches!(e, DataError::HighBelowLow { .. }));
    assert_has(
        &msg,
        &[
            "hl.csv",
            "line 2",
            "column `high` (#4)",
            "value `0.9`",
            "below low (1.2)",
            "asset `A`",
        ],
    );
}

#[test]
fn negative_volume_names_the_cell() {
    let text = format!("{HEAD}2024-01-02,A,1,2,1,1.5,100\n2024-01-03,A,1,2,1,1.5,-5\n");
    let (e, msg) = long_err("vol.csv", &text);
    assert!(matches!(e, DataError::NegativeVolume { .. }));
    assert_has(
        &msg,
        &[
            "vol.csv",
            "line 3",
            "column `volume` (#7)",
            "value `-5`",
            "zero or positive",
        ],
    );
}

#[test]
fn ragged_row_and_empty_file_and_extension() {
    let (e, msg) = long_err("ragged.csv", &format!("{HEAD}2024-01-02,A,1,2,1\n"));
    assert!(matches!(e, DataError::Csv { .. }));
    assert_has(
        &msg,
        &["ragged.csv, line 2", "5 fields but the header has 7"],
    );
    let (e, _) = long_err("empty.csv", HEAD);
    assert!(matches!(e, DataError::Empty { .. }));
    let (e, msg) = long_err("prices.txt", HEAD);
    assert!(matches!(e, DataError::UnsupportedFormat { .. }));
    assert_has(&msg, &["prices.txt", ".csv"]);
    let dir = tempfile::tempdir().unwrap();
    let e = read_long(dir.path().join("absent.csv"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, DataError::Io { .. }) && e.to_string().contains("absent.csv"));
}

#[test]
fn duplicate_header_column_is_named() {
    let (e, msg) = long_err("twice.csv", "date,asset,Close,close\n2024-01-02,A,1,1\n");
    assert!(matches!(e, DataError::DuplicateColumn { .. }));
    assert_has(&msg, &["twice.csv", "`close` (#4)", "#3"]);
}

#[test]
fn quoted_multiline_cells_keep_line_numbers_exact() {
    let text = "date,asset,close,note\n2024-01-02,A,1,\"two\nlines\"\n2024-01-03,A,-1,x\n";
    let (_, msg) = long_err("multi.csv", text);
    assert_has(
        &msg,
        &["multi.csv", "line 4", "column `close` (#3)", "value `-1`"],
    );
}

fn wide_err(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, name, text);
    read_wide(&p, &WideOptions::default())
        .expect_err("must fail")
        .to_string()
}

#[test]
fn wide_unsorted_and_duplicated_dates() {
    let msg = wide_err(
        "w_unsorted.csv",
        "date,A,B\n2024-01-03,1,2\n2024-01-02,1,2\n",
    );
    assert_has(
        &msg,
        &[
            "w_unsorted.csv",
            "line 3",
            "column `date` (#1)",
            "2024-01-02",
            "earlier than",
            "2024-01-03",
            "sort",
        ],
    );
    let msg = wide_err("w_dup.csv", "date,A,B\n2024-01-02,1,2\n2024-01-02,1,2\n");
    assert_has(
        &msg,
        &[
            "w_dup.csv",
            "line 3",
            "column `date` (#1)",
            "repeats line 2",
        ],
    );
    let msg = wide_err("w_num.csv", "date,A,B\n2024-01-02,1,2\n2024-01-03,1,x2\n");
    assert_has(
        &msg,
        &["w_num.csv", "line 3", "column `B` (#3)", "value `x2`"],
    );
    let msg = wide_err("w_cols.csv", "date,A,A\n2024-01-02,1,2\n");
    assert_has(&msg, &["w_cols.csv", "`A` (#3)", "#2"]);
}

#[test]
fn wide_named_date_column_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "w.csv", "day,A\n2024-01-02,1\n");
    let opts = WideOptions {
        date_column: Some("Stamp".into()),
        ..WideOptions::default()
    };
    let msg = read_wide(&p, &opts).unwrap_err().to_string();
    assert_has(
        &msg,
        &["w.csv", "missing required column `Stamp`", "day, A"],
    );
}
