//! Test helpers shared by the integration tests.

/// Deterministic N(0, σ²) draws (SplitMix64 + Box–Muller) so tests need no RNG crate.
pub fn normals(n: usize, sigma: f64, mut state: u64) -> Vec<f64> {
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let (u1, u2) = (next().max(1e-300), next());
            sigma * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        })
        .collect()
}

/// `n` draws of N(mean, σ²).
#[allow(dead_code)] // not every test binary uses it
pub fn drifted(mean: f64, sigma: f64, n: usize, seed: u64) -> Vec<f64> {
    normals(n, sigma, seed)
        .into_iter()
        .map(|x| x + mean)
        .collect()
}
