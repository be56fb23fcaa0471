//! Fits one model to a one-column CSV (header line, then one value per line) and prints the
//! result as JSON. `cargo run --release -p af-vol --example fit_csv -- FILE VOL DIST [P O Q] [MEAN]`
//! with VOL in garch|gjr|tarch|egarch, DIST in normal|t|skewt|ged, MEAN in zero|constant|arN.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_vol::{fit, DistKind, FitOptions, GarchSpec, MeanSpec, VolKind};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("read file");
    let y: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.trim().parse().expect("number"))
        .collect();
    let vol = match args[2].as_str() {
        "gjr" => VolKind::Gjr,
        "tarch" => VolKind::Tarch,
        "egarch" => VolKind::Egarch,
        _ => VolKind::Garch,
    };
    let dist = match args[3].as_str() {
        "t" => DistKind::StudentsT,
        "skewt" => DistKind::SkewStudent,
        "ged" => DistKind::Ged,
        _ => DistKind::Normal,
    };
    let ord = |i: usize, d: usize| args.get(i).map_or(d, |s| s.parse().unwrap());
    let o_default = usize::from(vol != VolKind::Garch);
    let mean = match args.get(7).map(String::as_str) {
        Some("zero") => MeanSpec::Zero,
        Some(s) if s.starts_with("ar") => MeanSpec::Ar {
            lags: s[2..].parse().unwrap(),
        },
        _ => MeanSpec::Constant,
    };
    let spec = GarchSpec {
        mean,
        vol,
        p: ord(4, 1),
        o: ord(5, o_default),
        q: ord(6, 1),
        dist,
        ..GarchSpec::default()
    };
    let res = fit(&y, &spec, &FitOptions::default()).unwrap();
    let mut out = serde_json::to_value(&res).unwrap();
    out.as_object_mut()
        .unwrap()
        .remove("conditional_volatility");
    out.as_object_mut().unwrap().remove("std_resid");
    println!("{}", serde_json::to_string(&out).unwrap());
}
