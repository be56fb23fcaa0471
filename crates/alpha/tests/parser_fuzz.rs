//! Property tests of the parser and checker: random strings and random token sequences never
//! panic, and every error points inside (or just past the end of) the text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_alpha::parser::parse;
use af_alpha::Plan;
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    "^",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "&&",
    "||",
    "?",
    ":",
    "close",
    "volume",
    "vwap",
    "returns",
    "adv20",
    "IndClass.sector",
    "IndClass.nope",
    "rank",
    "delay",
    "correlation",
    "ts_rank",
    "indneutralize",
    "min",
    "max",
    "scale",
    "sum",
    "1",
    "2.5",
    ".5",
    "0",
    "1e3",
    "3.",
    "x",
    "@",
    "Ts_ArgMax",
    "signedpower",
];

fn check_error(src: &str) {
    let mut plan = Plan::with_fields(&["open", "high", "low", "close", "volume", "vwap"]);
    match plan.add("fuzz", src) {
        Ok(id) => assert!(id < plan.nodes().len()),
        Err(e) => {
            assert!(e.span.start <= src.len() + 1, "{src:?}: {e}");
            assert!(e.span.end >= e.span.start);
            let shown = e.to_string();
            assert!(shown.contains('^'), "{shown}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_strings_never_panic(src in "\\PC{0,60}") {
        let _ = parse(&src);
        check_error(&src);
    }

    #[test]
    fn random_token_sequences_never_panic(idx in proptest::collection::vec(0..TOKENS.len(), 0..40)) {
        let src = idx.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        check_error(&src);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash(depth in 1usize..400) {
        let src = format!("{}close{}", "rank(".repeat(depth), ")".repeat(depth));
        check_error(&src);
        let neg = format!("{}close", "-".repeat(depth));
        check_error(&neg);
    }
}

#[test]
fn all_library_formulas_parse_and_check() {
    let mut plan = Plan::with_fields(&["open", "high", "low", "close", "volume", "vwap", "cap"]);
    for lib in ["alpha101", "tech"] {
        for a in af_alpha::library::library(lib).unwrap() {
            plan.add(&a.name, a.source)
                .unwrap_or_else(|e| panic!("{}: {e}", a.name));
        }
    }
    // sharing: the batch is much smaller than the sum of its parts
    assert!(plan.nodes().len() < 2000, "{}", plan.nodes().len());
}
