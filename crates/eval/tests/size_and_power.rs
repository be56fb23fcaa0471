//! Statistical behaviour of the VaR backtests on simulated breach series (fixed seeds):
//! under a correct model the tests reject at about their nominal level; against clustered or
//! too-frequent breaches they reject almost always.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use af_eval::VarBacktest;

/// xorshift64* uniform in [0, 1): a tiny deterministic generator for the simulations.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A breach series from a two-state Markov chain: P(breach | no breach) = p01,
/// P(breach | breach) = p11 (p01 = p11 = p is i.i.d. Bernoulli(p)).
fn markov(rng: &mut Rng, n: usize, p01: f64, p11: f64) -> Vec<bool> {
    let mut h = Vec::with_capacity(n);
    let mut prev = false;
    for _ in 0..n {
        prev = rng.uniform() < if prev { p11 } else { p01 };
        h.push(prev);
    }
    h
}

fn rejection_rates(reps: usize, n: usize, p01: f64, p11: f64, coverage: f64) -> [f64; 3] {
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    let mut rejects = [0usize; 3];
    for _ in 0..reps {
        let b = VarBacktest::from_breaches(&markov(&mut rng, n, p01, p11), coverage).unwrap();
        for (k, p) in [b.p_uc, b.p_ind, b.p_cc].into_iter().enumerate() {
            rejects[k] += usize::from(p < 0.05);
        }
    }
    rejects.map(|r| r as f64 / reps as f64)
}

#[test]
fn kupiec_has_about_nominal_size() {
    // 2,000 series of 1,000 i.i.d. Bernoulli(0.05) breaches: LR_uc rejects at 5 % in about 5 %
    // of them (binomial s.e. 0.5 %; the statistic is discrete, hence the band).
    let [uc, _, cc] = rejection_rates(2000, 1000, 0.05, 0.05, 0.05);
    assert!((0.03..=0.075).contains(&uc), "Kupiec size {uc}");
    assert!(
        (0.02..=0.09).contains(&cc),
        "conditional coverage size {cc}"
    );
    eprintln!("size at 5 %: Kupiec {uc}, conditional coverage {cc}");
}

#[test]
fn tests_detect_clustering_and_excess_breaches() {
    // Clustered: P(breach | breach) = 0.3 ≫ P(breach | none) = 0.03 (stationary rate ≈ 4.1 %):
    // the independence test must reject in most series.
    let [_, ind, cc] = rejection_rates(500, 1000, 0.03, 0.3, 0.05);
    assert!(ind > 0.9, "independence power {ind}");
    assert!(cc > 0.8, "conditional coverage power {cc}");
    eprintln!("power: independence {ind}, conditional coverage {cc}");
    // I.i.d. breaches at 2.5 % against a 1 % VaR (25 expected vs 10): Kupiec must reject in
    // nearly every series.
    let [uc, _, _] = rejection_rates(500, 1000, 0.025, 0.025, 0.01);
    assert!(uc > 0.95, "Kupiec power {uc}");
}
