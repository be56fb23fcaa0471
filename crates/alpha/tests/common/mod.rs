//! Shared helpers of the af-alpha integration tests: fixture loading.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use af_core::{AssetMeta, Frequency, Panel};
use chrono::NaiveDate;

/// Path of a fixture file.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn num(s: &str) -> f64 {
    if s.is_empty() {
        f64::NAN
    } else {
        s.parse().unwrap()
    }
}

/// The long-format panel CSV written by `scripts/fixtures/alpha101_reference.py`.
pub fn load_panel() -> Panel {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(fixture("alpha101_panel.csv"))
        .unwrap();
    let headers = rdr.headers().unwrap().clone();
    let fields: Vec<String> = headers.iter().skip(5).map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let mut dates: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    dates.sort();
    dates.dedup();
    let mut assets: Vec<String> = Vec::new();
    let mut meta: Vec<AssetMeta> = Vec::new();
    for r in &rows {
        if !assets.iter().any(|a| a == &r[1]) {
            assets.push(r[1].to_string());
            meta.push(AssetMeta {
                sector: Some(r[2].to_string()),
                industry: Some(r[3].to_string()),
                subindustry: Some(r[4].to_string()),
                market: None,
            });
        }
    }
    let nd = dates.len();
    let parsed = dates
        .iter()
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        })
        .collect();
    let mut panel = Panel::new(parsed, assets.clone(), Frequency::Day1).unwrap();
    panel.meta_mut().clone_from_slice(&meta);
    let mut bufs = vec![vec![f64::NAN; nd * assets.len()]; fields.len()];
    for r in &rows {
        let t = dates.binary_search(&r[0].to_string()).unwrap();
        let a = assets.iter().position(|x| x == &r[1]).unwrap();
        for (k, buf) in bufs.iter_mut().enumerate() {
            buf[a * nd + t] = num(&r[5 + k]);
        }
    }
    for (f, b) in fields.iter().zip(bufs) {
        panel.insert_field(f.clone(), b).unwrap();
    }
    panel
}

/// Reference values: `alpha[n - 1]` is Alpha#n, column-major like the panel.
pub fn load_reference(panel: &Panel) -> Vec<Vec<f64>> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(fixture("alpha101_reference.csv.gz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let nd = panel.n_dates();
    let dates: Vec<String> = panel
        .dates()
        .iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect();
    let mut out = vec![vec![f64::NAN; panel.len()]; 101];
    for r in rdr.records() {
        let r = r.unwrap();
        let t = dates.iter().position(|d| d == &r[0]).unwrap();
        let a = panel.asset_index(&r[1]).unwrap();
        for (n, col) in out.iter_mut().enumerate() {
            col[a * nd + t] = num(&r[2 + n]);
        }
    }
    out
}
