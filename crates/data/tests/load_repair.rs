//! The Repair policy: every fix is made and counted per asset and kind; parse errors still abort.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;

use af_data::options::ALL_ASSETS;
use af_data::{
    read_long, read_wide_report, DataError, ReadOptions, RepairKind, ValidationPolicy, WideOptions,
};
use arrow::array::{ArrayRef, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const BAD: &str = "date,asset,open,high,low,close,volume\n\
2024-01-02,A,1,2,1,1.5,100\n\
2024-01-02,A,1,2,1,1.6,100\n\
2024-01-02,A,1,2,1,1.7,100\n\
2024-01-03,A,-1,2,1,1.5,100\n\
2024-01-04,A,1,2,1,1.5,-3\n\
2024-01-02,B,1,1,2,1.5,100\n\
2024-01-03,B,1,2,1,1.8,100\n\
2024-01-04,B,1,2,1,0,100\n\
2024-01-05,B,1,2,1,1.9,100\n";

#[test]
fn repair_counts_every_fix_per_asset_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "bad.csv", BAD);
    assert!(read_long(&p, &ReadOptions::default()).is_err());
    let rep = read_long(&p, &ReadOptions::repair()).unwrap();
    let r = &rep.repairs;
    assert_eq!(r.count_for("A", RepairKind::DuplicateRow), 2);
    assert_eq!(r.count_for("A", RepairKind::NonPositivePrice), 1);
    assert_eq!(r.count_for("A", RepairKind::NegativeVolume), 1);
    assert_eq!(r.count_for("B", RepairKind::HighBelowLow), 1);
    assert_eq!(r.count_for("B", RepairKind::NonPositivePrice), 1);
    assert_eq!(r.total(), 6);
    assert_eq!(r.count(RepairKind::NonPositivePrice), 2);
    assert_eq!(r.messages.len(), 6);
    // Row checks come in file order, then the duplicates found when placing rows on the grid.
    assert!(
        r.messages[0].contains("bad.csv, line 5") && r.messages[0].contains("value `-1`"),
        "{:?}",
        r.messages
    );
    assert!(
        r.messages[4].contains("line 3") && r.messages[4].contains("duplicate"),
        "{:?}",
        r.messages
    );
    assert!(
        r.messages[5].contains("line 4") && r.messages[5].contains("first seen at line 3"),
        "{:?}",
        r.messages
    );
    let panel = &rep.panel;
    assert_eq!(rep.rows, 9);
    assert_eq!(panel.n_dates(), 4);
    // Duplicates keep the last row; invalid rows are dropped (their cells are missing).
    assert_eq!(panel.get("close", 0, 0).unwrap(), 1.7);
    assert!(panel.get("close", 1, 0).unwrap().is_nan());
    assert!(panel.get("close", 2, 0).unwrap().is_nan());
    let b: Vec<f64> = panel.series("close", 1).unwrap().to_vec();
    assert!(b[0].is_nan() && b[2].is_nan());
    assert_eq!((b[1], b[3]), (1.8, 1.9));
}

#[test]
fn repair_still_aborts_on_unparsable_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(
        &dir,
        "x.csv",
        "date,asset,close\n2024-01-02,A,1\n2024-01-03,A,one\n",
    );
    let e = read_long(&p, &ReadOptions::repair()).unwrap_err();
    assert!(matches!(e, DataError::BadNumber { .. }));
}

#[test]
fn wide_repair_sorts_and_keeps_last_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let text = "date,A,B\n2024-01-04,4,40\n2024-01-02,2,20\n2024-01-03,3,30\n2024-01-02,5,50\n2024-01-05,6,60\n";
    let p = file(&dir, "w.csv", text);
    let opts = WideOptions {
        policy: ValidationPolicy::Repair,
        ..WideOptions::default()
    };
    let rep = read_wide_report(&p, &opts).unwrap();
    assert_eq!(
        rep.repairs.count_for(ALL_ASSETS, RepairKind::UnsortedDates),
        2
    );
    assert_eq!(
        rep.repairs.count_for(ALL_ASSETS, RepairKind::DuplicateDate),
        1
    );
    assert_eq!(rep.panel.series("value", 0).unwrap(), &[5.0, 3.0, 4.0, 6.0]);
    assert_eq!(
        rep.panel.series("value", 1).unwrap(),
        &[50.0, 30.0, 40.0, 60.0]
    );
}

#[test]
fn parquet_errors_name_the_record_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Arc::new(Schema::new(vec![
        Field::new("date", DataType::Utf8, false),
        Field::new("Symbol", DataType::Utf8, false),
        Field::new("close", DataType::Float64, true),
        Field::new("volume", DataType::Utf8, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec![
            "2024-01-02",
            "2024-01-03",
            "2024-01-04",
        ])),
        Arc::new(StringArray::from(vec!["A", "A", "A"])),
        Arc::new(Float64Array::from(vec![Some(1.0), None, Some(-2.0)])),
        Arc::new(StringArray::from(vec!["10", "", "30"])),
    ];
    let path = dir.path().join("p.parquet");
    let f = std::fs::File::create(&path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, schema.clone(), None).unwrap();
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();
    let msg = read_long(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    for part in [
        "p.parquet, record 3",
        "column `close` (#3)",
        "value `-2`",
        "positive",
    ] {
        assert!(msg.contains(part), "{msg} lacks {part}");
    }
    let rep = read_long(&path, &ReadOptions::repair()).unwrap();
    assert_eq!(rep.repairs.count_for("A", RepairKind::NonPositivePrice), 1);
    assert_eq!(rep.panel.get("volume", 0, 0).unwrap(), 10.0);
    assert!(rep.panel.get("close", 1, 0).unwrap().is_nan());
}
