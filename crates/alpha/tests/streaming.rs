//! `evaluate_each` hands every alpha over in the order of `Plan::add`, with the bits of
//! `evaluate`, whatever the order in which the plan computes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_alpha::library::alpha101;
use af_alpha::{evaluate, evaluate_each, EvalError, Plan};

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn streamed_alphas_are_the_collected_ones_in_add_order() {
    let p = common::load_panel();
    let mut plan = Plan::for_panel(&p);
    // roots computed out of order: `late` is a sub-expression of `early`, `again` repeats
    // `early`, `field` and `konst` are a borrowed panel field and a scalar
    let exprs = [
        ("early", "rank(ts_max(close, 3)) * -1"),
        ("late", "ts_max(close, 3)"),
        ("again", "rank(ts_max(close, 3)) * -1"),
        ("field", "close"),
        ("konst", "2 + 3"),
        ("a001", alpha101(1).unwrap().source),
        ("a101", alpha101(101).unwrap().source),
    ];
    for (name, src) in exprs {
        plan.add(name, src).unwrap();
    }
    let all = evaluate(&plan, &p).unwrap();
    let mut seen = Vec::new();
    evaluate_each(&plan, &p, |a| -> Result<(), EvalError> {
        assert_eq!(a.index, seen.len(), "handed over in add order");
        assert_eq!(a.name, exprs[a.index].0);
        assert_eq!(bits(a.values), bits(&all[a.index].values), "{}", a.name);
        seen.push(a.name.to_string());
        Ok(())
    })
    .unwrap();
    assert_eq!(seen.len(), exprs.len());
    let len = p.n_dates() * p.n_assets();
    assert!(all.iter().all(|a| a.values.len() == len));
    assert!(all[4].values.iter().all(|&v| v == 5.0));
}

#[test]
fn a_consumer_error_stops_the_evaluation() {
    let p = common::load_panel();
    let mut plan = Plan::for_panel(&p);
    for n in 1..=5 {
        let a = alpha101(n).unwrap();
        plan.add(&a.name, a.source).unwrap();
    }
    let mut calls = 0;
    let r = evaluate_each(&plan, &p, |a| {
        calls += 1;
        if a.index == 2 {
            Err(EvalError::MissingField("disk full".into()))
        } else {
            Ok(())
        }
    });
    assert!(matches!(r, Err(EvalError::MissingField(m)) if m == "disk full"));
    assert_eq!(calls, 3, "nothing is handed over after the error");
}
