//! Properties that hold for any input: weights are a probability vector that puts 0 on failed
//! candidates; walk-forward windows tile the test span exactly once with training strictly before
//! testing; backtest statistics are non-negative with p-values in [0, 1]; a combination lies
//! between the smallest and largest weighted forecast.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_eval::{
    akaike_weights, combine, exp_mse_weights, inverse_mse_weights, var_backtest::transitions,
    TrainWindow, VarBacktest, WalkForward,
};
use proptest::prelude::*;

fn score() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        6 => (-1e5f64..1e5).prop_map(Some),
    ]
}

fn mse_score() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![1 => Just(None), 1 => Just(Some(0.0)), 6 => (0.0f64..1e4).prop_map(Some)]
}

fn assert_probability_vector(w: &[f64], scores: &[Option<f64>]) {
    let total: f64 = w.iter().sum();
    assert!((total - 1.0).abs() < 1e-12, "sum {total}");
    for (wi, s) in w.iter().zip(scores) {
        assert!(*wi >= 0.0 && wi.is_finite());
        if !s.is_some_and(f64::is_finite) {
            assert_eq!(*wi, 0.0, "failed candidate got weight");
        }
    }
}

proptest! {
    #[test]
    fn weights_are_probabilities(aic in prop::collection::vec(score(), 1..12),
                                 mse in prop::collection::vec(mse_score(), 1..12)) {
        match akaike_weights(&aic) {
            Ok(w) => assert_probability_vector(&w, &aic),
            Err(_) => prop_assert!(aic.iter().all(|s| !s.is_some_and(f64::is_finite))),
        }
        for w in [exp_mse_weights(&mse), inverse_mse_weights(&mse)] {
            match w {
                Ok(w) => assert_probability_vector(&w, &mse),
                Err(_) => prop_assert!(mse.iter().all(Option::is_none)),
            }
        }
    }

    #[test]
    fn walk_forward_tiles_the_test_span(n in 1usize..400, train in 1usize..200,
                                        test in prop::option::of(1usize..300),
                                        refit in 1usize..60, gap in 0usize..5,
                                        expanding in any::<bool>()) {
        let scheme = WalkForward {
            train, test, refit_every: refit, gap,
            window: if expanding { TrainWindow::Expanding } else { TrainWindow::Rolling },
        };
        let Ok(windows) = scheme.windows(n) else {
            // Refused only when the scheme cannot fit.
            prop_assert!(train + gap + test.unwrap_or(1) > n);
            return Ok(());
        };
        let span = scheme.test_span(n).unwrap();
        let mut next = span.start;
        for (k, w) in windows.iter().enumerate() {
            prop_assert_eq!(w.refit_index, k);
            prop_assert_eq!(w.test.start, next);
            prop_assert!(!w.test.is_empty() && w.test.len() <= refit);
            prop_assert!(w.train.end + gap == w.test.start);
            prop_assert!(!w.train.is_empty());
            if expanding {
                prop_assert_eq!(w.train.start, 0);
            } else {
                prop_assert_eq!(w.train.len(), train);
            }
            next = w.test.end;
        }
        prop_assert_eq!(next, n);
        if let Some(t) = test {
            prop_assert_eq!(span.len(), t);
        }
    }

    #[test]
    fn backtest_statistics_are_valid(hits in prop::collection::vec(any::<bool>(), 1..300),
                                     p in 0.001f64..0.999) {
        let b = VarBacktest::from_breaches(&hits, p).unwrap();
        for (lr, pv) in [(b.lr_uc, b.p_uc), (b.lr_ind, b.p_ind), (b.lr_cc, b.p_cc)] {
            prop_assert!(lr >= 0.0 && lr.is_finite());
            prop_assert!((0.0..=1.0).contains(&pv));
        }
        let c = transitions(&hits);
        prop_assert_eq!(c[0][0] + c[0][1] + c[1][0] + c[1][1], hits.len() - 1);
    }

    #[test]
    fn combination_is_bounded(f in prop::collection::vec(prop::collection::vec(-1e3f64..1e3, 5), 1..6),
                              w in prop::collection::vec(0.0f64..1.0, 6)) {
        let k = f.len();
        let w = &w[..k];
        let refs: Vec<&[f64]> = f.iter().map(Vec::as_slice).collect();
        let y = combine(&refs, w).unwrap();
        for (t, yt) in y.iter().enumerate() {
            let active: Vec<f64> = (0..k).filter(|&i| w[i] > 0.0).map(|i| f[i][t]).collect();
            if active.is_empty() {
                prop_assert!(yt.is_nan());
            } else {
                let lo = active.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = active.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(*yt >= lo - 1e-9 && *yt <= hi + 1e-9);
            }
        }
    }
}
