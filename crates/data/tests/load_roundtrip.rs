//! Loading long and wide files, date formats, frequencies, metadata, and CSV ↔ Parquet round trips.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use af_core::{Frequency, Panel};
use af_data::dates::to_datetime;
use af_data::{read_long, read_panel, read_wide, write_long, write_wide, ReadOptions, WideOptions};

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// Panels equal up to NaN == NaN.
fn same(a: &Panel, b: &Panel) {
    assert_eq!(a.dates(), b.dates());
    assert_eq!(a.assets(), b.assets());
    assert_eq!(a.meta(), b.meta());
    assert_eq!(a.frequency(), b.frequency());
    let fa: Vec<&str> = a.field_names().collect();
    let fb: Vec<&str> = b.field_names().collect();
    assert_eq!(fa, fb);
    for (name, va) in a.fields() {
        let vb = b.field(name).unwrap();
        for (x, y) in va.iter().zip(vb) {
            assert!(
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                "{name}: {x} vs {y}"
            );
        }
    }
}

const LONG: &str = "\u{feff}Date,Ticker,Open,High,Low,Close,Volume,Sector,Market,my_signal,name\n\
2024-01-03,BBB,10,11,9,10.5,200,Tech,NYSE,0.25,Bee\n\
2024-01-02,AAA,1,1.2,0.9,1.1,100,Energy,,-1.5e-3,Ay\n\
2024-01-02,BBB,10,10.5,9.5,10,,Tech,,,Bee\n\
2024-01-04,AAA,1.1,1.3,1.0,1.2,150,,NASDAQ,NA,Ay\n";

#[test]
fn long_csv_places_rows_on_the_grid() {
    let dir = tempfile::tempdir().unwrap();
    let rep = read_long(file(&dir, "l.csv", LONG), &ReadOptions::default()).unwrap();
    let p = &rep.panel;
    assert_eq!(rep.rows, 4);
    assert_eq!(
        p.dates(),
        &[day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]
    );
    assert_eq!(p.assets(), &["BBB".to_string(), "AAA".to_string()]);
    assert_eq!(p.frequency(), Frequency::Day1);
    let names: Vec<&str> = p.field_names().collect();
    assert_eq!(
        names,
        ["open", "high", "low", "close", "volume", "my_signal"]
    );
    assert_eq!(rep.ignored_columns, ["name".to_string()]);
    assert_eq!(p.series("close", 0).unwrap()[..2], [10.0, 10.5]);
    assert!(p.get("close", 2, 0).unwrap().is_nan());
    assert_eq!(p.get("close", 2, 1).unwrap(), 1.2);
    assert!(p.get("volume", 0, 0).unwrap().is_nan());
    assert_eq!(p.get("my_signal", 0, 1).unwrap(), -1.5e-3);
    assert!(p.get("my_signal", 2, 1).unwrap().is_nan());
    assert_eq!(p.meta()[0].sector.as_deref(), Some("Tech"));
    assert_eq!(p.meta()[0].market.as_deref(), Some("NYSE"));
    assert_eq!(p.meta()[1].sector.as_deref(), Some("Energy"));
    assert_eq!(p.meta()[1].market.as_deref(), Some("NASDAQ"));
}

#[test]
fn long_round_trips_through_csv_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let mut orig = read_long(file(&dir, "l.csv", LONG), &ReadOptions::default())
        .unwrap()
        .panel;
    orig.insert_field(
        "tiny",
        vec![
            1e-300,
            0.1 + 0.2,
            1.0 / 3.0,
            5e-324,
            123_456_789.123_456_79,
            -0.0,
        ],
    )
    .unwrap();
    for (a, b) in [
        ("a.csv", "b.parquet"),
        ("c.parquet", "d.csv"),
        ("e.pq", "f.parquet"),
    ] {
        write_long(&orig, dir.path().join(a)).unwrap();
        let p1 = read_long(dir.path().join(a), &ReadOptions::default())
            .unwrap()
            .panel;
        same(&orig, &p1);
        write_long(&p1, dir.path().join(b)).unwrap();
        let p2 = read_panel(dir.path().join(b), &ReadOptions::default())
            .unwrap()
            .panel;
        same(&orig, &p2);
    }
}

#[test]
fn wide_round_trips_and_numbers_rows_without_dates() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Date,SPY,QQQ\n2024-01-02,0.01,\n2024-01-03,-0.02,0.03\n2024-01-04,NaN,0.005\n";
    let opts = WideOptions {
        field: "returns".into(),
        ..WideOptions::default()
    };
    let p = read_wide(file(&dir, "w.csv", text), &opts).unwrap();
    assert_eq!(p.assets(), &["SPY".to_string(), "QQQ".to_string()]);
    assert_eq!(p.series("returns", 1).unwrap()[1..], [0.03, 0.005]);
    assert!(p.get("returns", 0, 1).unwrap().is_nan());
    for (a, b) in [("w1.parquet", "w2.csv"), ("w3.csv", "w4.pq")] {
        write_wide(&p, "returns", dir.path().join(a)).unwrap();
        let p1 = read_wide(dir.path().join(a), &opts).unwrap();
        same(&p, &p1);
        write_wide(&p1, "returns", dir.path().join(b)).unwrap();
        same(&p, &read_wide(dir.path().join(b), &opts).unwrap());
    }
    // read_panel sniffs the wide layout (no asset column) and stores under opts.wide.field.
    let mut ro = ReadOptions::default();
    ro.wide.field = "returns".into();
    same(
        &p,
        &read_panel(dir.path().join("w1.parquet"), &ro)
            .unwrap()
            .panel,
    );
    // Without a date column rows are consecutive days from 1970-01-01.
    let p = read_wide(
        file(&dir, "nodate.csv", "A,B\n1,2\n3,4\n5,6\n"),
        &WideOptions::default(),
    )
    .unwrap();
    assert_eq!(
        p.dates(),
        &[day(1970, 1, 1), day(1970, 1, 2), day(1970, 1, 3)]
    );
    assert_eq!(p.series("value", 1).unwrap(), &[2.0, 4.0, 6.0]);
    // The same for a Parquet file without a date column (written here with arrow directly).
    let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(vec![
        arrow::datatypes::Field::new("A", arrow::datatypes::DataType::Float64, true),
        arrow::datatypes::Field::new("B", arrow::datatypes::DataType::Int64, true),
    ]));
    let cols: Vec<arrow::array::ArrayRef> = vec![
        std::sync::Arc::new(arrow::array::Float64Array::from(vec![
            Some(1.0),
            None,
            Some(5.0),
        ])),
        std::sync::Arc::new(arrow::array::Int64Array::from(vec![2, 4, 6])),
    ];
    let path = dir.path().join("nodate.parquet");
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        schema.clone(),
        None,
    )
    .unwrap();
    w.write(&arrow::record_batch::RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();
    let q = read_wide(&path, &WideOptions::default()).unwrap();
    assert_eq!(q.dates(), p.dates());
    assert_eq!(q.series("value", 1).unwrap(), &[2.0, 4.0, 6.0]);
    assert!(q.get("value", 1, 0).unwrap().is_nan());
}

#[test]
fn date_formats_are_equivalent() {
    let dir = tempfile::tempdir().unwrap();
    let forms = [
        ["2024-01-02", "2024-01-03"],
        ["2024/01/02", "2024/01/03"],
        ["20240102", "20240103"],
        ["2024-01-02T00:00:00", "2024-01-03T00:00"],
        ["2024-01-02 00:00:00Z", "2024-01-03 00:00:00.000"],
        ["1704153600", "1704240000000"],
    ];
    for (i, [d1, d2]) in forms.iter().enumerate() {
        let text = format!("date,asset,close\n{d1},A,1\n{d2},A,2\n");
        let p = read_long(
            file(&dir, &format!("d{i}.csv"), &text),
            &ReadOptions::default(),
        )
        .unwrap()
        .panel;
        assert_eq!(p.dates(), &[day(2024, 1, 2), day(2024, 1, 3)], "{d1}");
    }
}

#[test]
fn intraday_bars_infer_their_frequency_and_survive_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("timestamp,symbol,close\n");
    for i in 0..12 {
        let (h, m) = (9 + (30 + 5 * i) / 60, (30 + 5 * i) % 60);
        text.push_str(&format!("2024-03-01T{h:02}:{m:02}:00,X,{}\n", 100 + i));
    }
    let p = read_long(file(&dir, "bars.csv", &text), &ReadOptions::default())
        .unwrap()
        .panel;
    assert_eq!(p.frequency(), Frequency::Min5);
    assert_eq!(p.dates()[1], to_datetime(1_709_285_700));
    write_long(&p, dir.path().join("bars.parquet")).unwrap();
    same(
        &p,
        &read_long(dir.path().join("bars.parquet"), &ReadOptions::default())
            .unwrap()
            .panel,
    );
    let opts = ReadOptions {
        frequency: Some(Frequency::Min1),
        ..ReadOptions::default()
    };
    let p = read_long(dir.path().join("bars.csv"), &opts).unwrap().panel;
    assert_eq!(p.frequency(), Frequency::Min1);
}
