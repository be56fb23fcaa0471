//! `alphafactory portfolio backtest` end to end: the run and its kill-switch log land in the
//! registry and read back equal to `kill_switch.json`; the tear sheet has the new sections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use af_registry::Registry;
use serde_json::Value;

const CONFIG: &str = r#"
name: cli-test
universe: { synthetic: { assets: 30, days: 460, seed: 11 } }
alphas:
  exprs:
    - { name: rev5, expr: "-delta(close, 5)" }
    - { name: mom5, expr: "delta(close, 5)" }
    - { name: rev10, expr: "-delta(close, 10)" }
    - { name: vol, expr: "rank(volume)" }
    - { name: rev3, expr: "-delta(close, 3)" }
combination: { method: equal, lookback: 60, refit_every: 10 }
kill_switch: { max_active: 3, min_active: 2, readmit_after: 40 }
risk: { var_method: garch, garch_window: 150 }
stress: { windows: [{ name: h2, start: "2021-07-01", end: "2021-12-31" }] }
"#;

#[test]
fn retirements_and_states_go_to_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("p.yaml");
    std::fs::write(&cfg, CONFIG).unwrap();
    let db = dir.path().join("r.db");
    let out = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["portfolio", "backtest"])
        .arg(&cfg)
        .arg("--out-dir")
        .arg(dir.path().join("out"))
        .arg("--registry")
        .arg(&db)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run_id = json["registry"]["run_id"].as_i64().unwrap();
    let reg = Registry::open(&db).unwrap();
    let run = reg.run(run_id).unwrap();
    assert_eq!(run.run.name, "portfolio:cli-test");
    assert_eq!(run.run.n_tasks, 5);
    assert_eq!(run.run.seed, 11);
    let ret = reg.retirements(run_id).unwrap();
    assert_eq!(ret.len() as u64, json["retirements"].as_u64().unwrap());
    assert!(
        !ret.is_empty(),
        "the A5 defaults retire some of five noise alphas"
    );
    // same content as kill_switch.json, event by event
    let ks: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/kill_switch.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ks.len(), ret.len());
    for e in &ks {
        let row = ret
            .iter()
            .find(|r| r.alpha == e["alpha"] && r.date == e["date"])
            .unwrap();
        let reasons: Value = serde_json::from_str(&row.reasons_json).unwrap();
        assert_eq!(reasons, e["reasons"]);
        assert!(row.live_after >= 2, "floor of 2: {row:?}");
    }
    let promos = reg.promotions(run_id).unwrap();
    assert_eq!(promos.len() as u64, json["promotions"].as_u64().unwrap());
    assert!(promos.len() >= 3);
    let states = reg.state_changes(run_id).unwrap();
    assert_eq!(states[0].state, "active");
    assert_eq!(states[0].previous, None);
    for w in states.windows(2) {
        assert_eq!(w[1].previous.as_deref(), Some(w[0].state.as_str()));
        assert_ne!(w[1].state, w[0].state);
    }
    let html = std::fs::read_to_string(dir.path().join("out/tearsheet.html")).unwrap();
    for s in [
        "Stress windows",
        "h2",
        "Kill switch",
        "Live alphas",
        "GARCH(1,1) one day ahead",
    ] {
        assert!(html.contains(s), "tear sheet lacks {s}");
    }
    // --no-registry leaves the database alone
    let out = Command::new(env!("CARGO_BIN_EXE_alphafactory"))
        .args(["portfolio", "backtest"])
        .arg(&cfg)
        .arg("--out-dir")
        .arg(dir.path().join("out2"))
        .arg("--registry")
        .arg(&db)
        .arg("--no-registry")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(Registry::open(&db).unwrap().runs().unwrap().len(), 1);
}
