//! Every operator of the language by hand on a tiny 3-asset × 5-day panel. Expected numbers
//! are worked out by hand from the definitions in the crate docs (comments show the arithmetic).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use af_alpha::{evaluate, evaluate_batch, ExprErrorKind, Plan};
use af_core::{AssetMeta, Frequency, Panel};
use chrono::NaiveDate;

const N: f64 = f64::NAN;

/// A: rising, B: zig-zag, C: flat close. A and B in sector X / industry P; C in sector Y / Q.
fn panel() -> Panel {
    let dates = (1..=5)
        .map(|d| {
            NaiveDate::from_ymd_opt(2024, 1, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        })
        .collect();
    let mut p = Panel::new(
        dates,
        vec!["A".into(), "B".into(), "C".into()],
        Frequency::Day1,
    )
    .unwrap();
    #[rustfmt::skip]
    p.insert_field("close", vec![
        1.0, 2.0, 3.0, 4.0, 5.0,
        5.0, 3.0, 4.0, 1.0, 2.0,
        2.0, 2.0, 2.0, 2.0, 2.0,
    ]).unwrap();
    #[rustfmt::skip]
    p.insert_field("volume", vec![
        10.0, 20.0, 30.0, 40.0, 50.0,
        50.0, 40.0, 30.0, 20.0, 10.0,
        1.0, 2.0, 1.0, 2.0, 1.0,
    ]).unwrap();
    for (m, (s, i)) in p
        .meta_mut()
        .iter_mut()
        .zip([("X", "P"), ("X", "P"), ("Y", "Q")])
    {
        *m = AssetMeta {
            sector: Some(s.into()),
            industry: Some(i.into()),
            subindustry: None,
            market: None,
        };
    }
    p
}

fn eval(expr: &str) -> Vec<Vec<f64>> {
    let p = panel();
    let out = evaluate_batch(&p, &[("x", expr)]).unwrap_or_else(|e| panic!("{e}"));
    out[0].values.chunks(5).map(<[f64]>::to_vec).collect()
}

fn same(got: &[f64], want: &[f64]) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(a, b)| (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-12)
}

/// (expression, asset, expected series)
#[rustfmt::skip]
const CASES: &[(&str, usize, [f64; 5])] = &[
    ("abs(0 - close)", 1, [5.0, 3.0, 4.0, 1.0, 2.0]),
    ("log(close)", 0, [0.0, std::f64::consts::LN_2, 1.0986122886681098, 1.3862943611198906, 1.6094379124341003]),
    ("sign(delta(close, 1))", 1, [N, -1.0, 1.0, -1.0, 1.0]),
    ("sign(delta(close, 1))", 2, [N, 0.0, 0.0, 0.0, 0.0]),
    // day 1 closes A=1, B=5, C=2 → ranks 1, 3, 2 of 3
    ("rank(close)", 0, [1.0 / 3.0, 0.5, 2.0 / 3.0, 1.0, 1.0]),
    // day 2: A=2, B=3, C=2 → A, C tie at (1+2)/2 = 1.5 → 0.5
    ("rank(close)", 2, [2.0 / 3.0, 0.5, 1.0 / 3.0, 2.0 / 3.0, 0.5]),
    ("delay(close, 2)", 1, [N, N, 5.0, 3.0, 4.0]),
    ("delta(close, 2)", 1, [N, N, -1.0, -2.0, -2.0]),
    ("sum(close, 3)", 1, [N, N, 12.0, 8.0, 7.0]),
    ("ts_mean(close, 2)", 1, [N, 4.0, 3.5, 2.5, 1.5]),
    ("adv2", 1, [N, 45.0, 35.0, 25.0, 15.0]),
    ("product(close, 3)", 1, [N, N, 60.0, 12.0, 8.0]),
    // B window [5,3,4]: mean 4, squares 1+1+0 → var 1; [3,4,1]: mean 8/3 → var 13/3
    ("stddev(close, 3)", 1, [N, N, 1.0, 1.5275252316519468, 1.5275252316519468]),
    ("stddev(close, 3)", 2, [N, N, 0.0, 0.0, 0.0]),
    ("ts_min(close, 3)", 1, [N, N, 3.0, 1.0, 1.0]),
    ("ts_max(close, 3)", 1, [N, N, 5.0, 4.0, 4.0]),
    ("min(close, 3)", 1, [N, N, 3.0, 1.0, 1.0]),
    ("max(close, volume / 10)", 1, [5.0, 4.0, 4.0, 2.0, 2.0]),
    ("min(close, volume / 10)", 1, [5.0, 3.0, 3.0, 1.0, 1.0]),
    ("least(close, 3)", 1, [3.0, 3.0, 3.0, 1.0, 2.0]),
    ("greatest(close, 3)", 1, [5.0, 3.0, 4.0, 3.0, 3.0]),
    // windows [5,3,4] [3,4,1] [4,1,2]: argmax 1, 2, 1; argmin 2, 3, 2
    ("ts_argmax(close, 3)", 1, [N, N, 1.0, 2.0, 1.0]),
    ("ts_argmin(close, 3)", 1, [N, N, 2.0, 3.0, 2.0]),
    ("ts_argmax(close, 3)", 2, [N, N, 1.0, 1.0, 1.0]),
    // today among [5,3,4] → 2; [3,4,1] → 1; [4,1,2] → 2; flat C: all tie → (1+3)/2 = 2
    ("ts_rank(close, 3)", 1, [N, N, 2.0, 1.0, 2.0]),
    ("ts_rank(close, 3)", 2, [N, N, 2.0, 2.0, 2.0]),
    // (1·5 + 2·3 + 3·4)/6 = 23/6; (3 + 8 + 3)/6 = 14/6; (4 + 2 + 6)/6 = 2
    ("decay_linear(close, 3)", 1, [N, N, 23.0 / 6.0, 14.0 / 6.0, 2.0]),
    // A: close and volume move together exactly; B: corr([5,3,4],[50,40,30]) = 0.5;
    // [3,4,1]·[40,30,20]: cxy = 20, cxx = 42/9, cyy = 200 → 20/√(933.3) = 0.6547 (same for [4,1,2])
    ("correlation(close, volume, 3)", 0, [N, N, 1.0, 1.0, 1.0]),
    ("correlation(close, volume, 3)", 1, [N, N, 0.5, 0.6546536707079772, 0.6546536707079772]),
    ("correlation(close, volume, 3)", 2, [N, N, N, N, N]),
    ("correlation(close, volume, 2)", 1, [N, 1.0, -1.0, 1.0, -1.0]),
    // B: deviations [1,-1,0]·[10,0,-10] = 10 → 10/2 = 5
    ("covariance(close, volume, 3)", 1, [N, N, 5.0, 10.0, 10.0]),
    // day 1: |1|+|5|+|2| = 8 → B = 5/8
    ("scale(close)", 1, [0.625, 3.0 / 7.0, 4.0 / 9.0, 1.0 / 7.0, 2.0 / 9.0]),
    ("scale(close, 2)", 1, [1.25, 6.0 / 7.0, 8.0 / 9.0, 2.0 / 7.0, 4.0 / 9.0]),
    ("signedpower(delta(close, 1), 2)", 1, [N, -4.0, 1.0, -9.0, 1.0]),
    ("delta(close, 1) ^ 2", 1, [N, 4.0, 1.0, 9.0, 1.0]),
    // sector X = {A, B}: day 1 mean 3 → B = 5 − 3; C alone in Y → 0
    ("indneutralize(close, IndClass.sector)", 1, [2.0, 0.5, 0.5, -1.5, -1.5]),
    ("IndNeutralize(close, IndClass.industry)", 2, [0.0, 0.0, 0.0, 0.0, 0.0]),
    // no subindustry labels: all three assets form one group
    ("indneutralize(close, IndClass.subindustry)", 2, [-2.0 / 3.0, -1.0 / 3.0, -1.0, -1.0 / 3.0, -1.0]),
    ("returns", 1, [N, -0.4, 1.0 / 3.0, -0.75, 1.0]),
    ("close + volume / 10 - 1 * 2", 1, [8.0, 5.0, 5.0, 1.0, 1.0]),
    ("-close * 2", 0, [-2.0, -4.0, -6.0, -8.0, -10.0]),
    ("close / (close - 2)", 2, [N, N, N, N, N]),
    ("close > 3", 1, [1.0, 0.0, 1.0, 0.0, 0.0]),
    ("close >= 3", 1, [1.0, 1.0, 1.0, 0.0, 0.0]),
    ("close <= 3", 1, [0.0, 1.0, 0.0, 1.0, 1.0]),
    ("close == 3", 1, [0.0, 1.0, 0.0, 0.0, 0.0]),
    ("close != 3", 1, [1.0, 0.0, 1.0, 1.0, 1.0]),
    ("delay(close, 1) < 3", 1, [0.0, 0.0, 0.0, 0.0, 1.0]),
    ("(close > 3) || (volume < 25)", 1, [1.0, 0.0, 1.0, 1.0, 1.0]),
    ("(close > 3) && (volume > 25)", 1, [1.0, 0.0, 1.0, 0.0, 0.0]),
    ("close > 3 ? close : -1", 1, [5.0, -1.0, 4.0, -1.0, -1.0]),
    ("delta(close, 1) ? 1 : 2", 2, [N, 2.0, 2.0, 2.0, 2.0]),
    ("ema(close, 2)", 1, [N, 4.0, 4.0, 2.0, 2.0]),
];

#[test]
fn every_operator_by_hand() {
    let mut failures = Vec::new();
    for (expr, asset, want) in CASES {
        let got = &eval(expr)[*asset];
        if !same(got, want) {
            failures.push(format!(
                "{expr} [asset {asset}]: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A predicate on the kind of an error.
type KindCheck = fn(&ExprErrorKind) -> bool;

#[test]
fn positioned_errors() {
    let p = panel();
    let cases: &[(&str, usize, KindCheck)] = &[
        ("rank(clsoe)", 5, |k| {
            matches!(k, ExprErrorKind::UnknownField { .. })
        }),
        ("rnak(close)", 0, |k| {
            matches!(k, ExprErrorKind::UnknownFunction(_))
        }),
        ("close + delay(close)", 8, |k| {
            matches!(k, ExprErrorKind::Arity { .. })
        }),
        ("ts_rank(close, volume)", 15, |k| {
            matches!(k, ExprErrorKind::BadWindow { .. })
        }),
        ("stddev(close, 1)", 14, |k| {
            matches!(k, ExprErrorKind::BadWindow { .. })
        }),
        ("sum(close, 0.5)", 11, |k| {
            matches!(k, ExprErrorKind::BadWindow { .. })
        }),
        ("indneutralize(close, 3)", 21, |k| {
            matches!(k, ExprErrorKind::Misplaced(_))
        }),
        ("close + IndClass.sector", 8, |k| {
            matches!(k, ExprErrorKind::Misplaced(_))
        }),
        ("indneutralize(close, IndClass.country)", 21, |k| {
            matches!(k, ExprErrorKind::UnknownGroup(_))
        }),
        ("adv0", 0, |k| matches!(k, ExprErrorKind::BadWindow { .. })),
        ("close ? 1", 9, |k| {
            matches!(k, ExprErrorKind::UnexpectedEnd { .. })
        }),
        ("(close", 6, |k| {
            matches!(k, ExprErrorKind::UnexpectedEnd { .. })
        }),
        ("close)", 5, |k| {
            matches!(k, ExprErrorKind::UnexpectedToken { .. })
        }),
        ("close @ 2", 6, |k| {
            matches!(k, ExprErrorKind::UnexpectedChar('@'))
        }),
        ("vwap", 0, |k| {
            matches!(k, ExprErrorKind::UnknownField { .. })
        }),
    ];
    for (src, offset, kind) in cases {
        let mut plan = Plan::for_panel(&p);
        let err = plan.add("x", src).unwrap_err();
        assert_eq!(err.offset(), *offset, "{src}: {err}");
        assert!(kind(&err.kind), "{src}: {err}");
        let text = err.to_string();
        assert!(
            text.contains(&format!("at byte {offset}")) && text.contains('^'),
            "{text}"
        );
    }
}

#[test]
fn shared_subexpressions_are_computed_once() {
    let p = panel();
    let mut plan = Plan::for_panel(&p);
    let computed = |plan: &Plan| {
        plan.nodes()
            .iter()
            .filter(|n| !matches!(n, af_alpha::Node::Const(_)))
            .count()
    };
    let a = plan
        .add("a", "rank(delta(close, 1)) + rank(delta(close, 1))")
        .unwrap();
    // close, delta, rank, sum
    assert_eq!(computed(&plan), 4);
    let b = plan
        .add("b", "rank(delta(close, 1.7)) + rank(delta(close, 1))")
        .unwrap();
    assert_eq!(
        a, b,
        "floored windows and shared sub-expressions intern to the same node"
    );
    assert_eq!(computed(&plan), 4);
    plan.add("c", "2 * rank(delta(close, 1))").unwrap();
    assert_eq!(computed(&plan), 5, "only the product is new");
    let out = evaluate(&plan, &p).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&out[0].values), bits(&out[1].values));
    assert_eq!(
        out.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
}

#[test]
fn rank_of_a_rank_is_the_rank() {
    let p = panel();
    let mut plan = Plan::for_panel(&p);
    let once = plan.add("once", "rank(delta(close, 1))").unwrap();
    let twice = plan.add("twice", "rank(rank(delta(close, 1)))").unwrap();
    assert_eq!(once, twice, "rank(rank(x)) is planned as rank(x)");
    // the identity it relies on, by the kernel itself: ranking the ranks changes no bit
    let out = evaluate(&plan, &p).unwrap();
    let again = af_alpha::kernels::cross::cross_section(
        &af_alpha::kernels::cross::CrossOp::Rank,
        &out[0].values,
        p.n_dates(),
        p.n_assets(),
    );
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&again), bits(&out[0].values));
    assert_eq!(bits(&out[1].values), bits(&out[0].values));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let p = common::load_panel();
    let exprs: Vec<(String, String)> = (1..=101)
        .filter_map(af_alpha::library::alpha101)
        .map(|a| (a.name, a.source.to_string()))
        .collect();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| evaluate_batch(&p, &exprs).unwrap())
    };
    let one = run(1);
    let three = run(3);
    for (a, b) in one.iter().zip(&three) {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a.values), bits(&b.values), "{}", a.name);
    }
}
