//! Experiment files: a full file parses to the expected grid; mistakes name the key and the line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use af_factory::{parse_experiment, FactoryError, WindowKind};

const GOOD: &str = "\
name: garch-grid
seed: 42
universe: { synthetic: { assets: 20, days: 600, seed: 7 } }
filters: { min_history: 300 }
targets:
  returns: { field: returns, scale: 100 }
  realized_variance: { horizons: [1, 5, 10, 22] }
models:
  - garch: { vol: [garch, gjr, egarch], p: [1], q: [1], dist: [normal, t], mean: [constant] }
walk_forward: { train: 250, refit_every: 22, test: 120, window: expanding }
var_levels: [0.01, 0.05, 0.10]
ensembles: [aic_weighted]
outputs: { registry: runs.db, report: report.html }
";

fn parse(text: &str) -> Result<af_factory::Experiment, FactoryError> {
    parse_experiment(text, Path::new("exp.yaml"), "/tmp/x".into())
}

fn located(text: &str) -> (u32, String, String) {
    match parse(text).unwrap_err() {
        FactoryError::Experiment {
            line, key, message, ..
        } => (line, key, message),
        other => panic!("unexpected error {other}"),
    }
}

#[test]
fn full_file_parses() {
    let exp = parse(GOOD).unwrap();
    assert_eq!(exp.specs().unwrap().len(), 6);
    assert_eq!(exp.walk_forward.window, WindowKind::Expanding);
    assert_eq!(exp.walk_forward.n_windows(), 6);
    assert_eq!(exp.targets.realized_variance.horizons, [1, 5, 10, 22]);
    assert_eq!(exp.registry_path(), Path::new("/tmp/x/runs.db"));
    // The hash ignores outputs but not the model grid.
    let moved = parse(&GOOD.replace("runs.db", "other.db")).unwrap();
    assert_eq!(exp.hash(), moved.hash());
    let changed = parse(&GOOD.replace("p: [1]", "p: [2]")).unwrap();
    assert_ne!(exp.hash(), changed.hash());
}

#[test]
fn semantic_errors_name_key_and_line() {
    let (line, key, msg) = located(&GOOD.replace("train: 250", "train: 3"));
    assert_eq!((line, key.as_str()), (10, "walk_forward.train"), "{msg}");
    let (line, key, _) = located(&GOOD.replace("vol: [garch, gjr, egarch]", "vol: [gjr], o: [0]"));
    assert_eq!((line, key.as_str()), (9, "models[0]"));
    let (line, key, msg) = located(&GOOD.replace("[0.01, 0.05, 0.10]", "[0.01, 0.7]"));
    assert_eq!((line, key.as_str()), (11, "var_levels"), "{msg}");
    let (line, key, msg) = located(&GOOD.replace("assets: 20,", "assets: 0,"));
    assert_eq!((line, key.as_str()), (3, "universe.synthetic"));
    assert!(msg.contains("assets"), "{msg}");
}

#[test]
fn unknown_keys_and_bad_values_name_the_line() {
    let e = parse(&GOOD.replace("refit_every: 22", "refit_evry: 22"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("exp.yaml:10:"), "{e}");
    assert!(e.contains("refit_evry"), "{e}");
    assert!(e.contains(": walk_forward: unknown field"), "{e}");
    let e = parse(&GOOD.replace("dist: [normal, t]", "dist: [normal, cauchy]"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("exp.yaml:9:"), "{e}");
    assert!(e.contains("cauchy"), "{e}");
    assert!(e.contains(": models.garch: "), "{e}");
    let e = parse(&GOOD.replace("  - garch:", "  - lstm:"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("exp.yaml:9:"), "{e}");
    let e = parse("name: x\n").unwrap_err().to_string();
    assert!(e.contains("universe"), "{e}");
}
