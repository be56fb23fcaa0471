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

/// Numbers of a JSON array.
#[allow(dead_code)] // not every test binary uses it
pub fn vec_of(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// One case of `fixtures/cvxpy_mean_variance.json` (`scripts/fixtures/cvxpy_portfolio.py`).
#[allow(dead_code)] // not every test binary uses it
pub struct CvxpyCase {
    /// The case's key in the fixture.
    pub name: String,
    /// Expected returns.
    pub mu: Vec<f64>,
    /// Covariance.
    pub cov: nalgebra::DMatrix<f64>,
    /// Previous weights.
    pub prev: Vec<f64>,
    /// Sector of each asset.
    pub sectors: Vec<usize>,
    /// The raw case (risk aversion, constraints, cvxpy's status, objective and weights).
    pub raw: serde_json::Value,
}

#[allow(dead_code)] // not every test binary uses it
impl CvxpyCase {
    /// The problem as our optimizer takes it.
    pub fn problem(&self) -> af_portfolio::optimize::MeanVariance<'_> {
        let (case, c) = (&self.raw, &self.raw["constraints"]);
        af_portfolio::optimize::MeanVariance {
            mu: &self.mu,
            cov: &self.cov,
            risk_aversion: case["risk_aversion"].as_f64().unwrap(),
            turnover_penalty: case["turnover_penalty"].as_f64().unwrap(),
            w_prev: Some(&self.prev),
            constraints: af_portfolio::optimize::Constraints {
                budget: c["budget"].as_f64(),
                long_only: c["long_only"].as_bool().unwrap(),
                max_position: c["max_position"].as_f64(),
                gross_leverage: c["gross_leverage"].as_f64(),
                sectors: c["sector_cap"]
                    .as_f64()
                    .map(|cap| (self.sectors.clone(), cap)),
                turnover_limit: c["turnover_limit"].as_f64(),
            },
        }
    }
}

/// Every case of the cvxpy fixture, in file order.
#[allow(dead_code)] // not every test binary uses it
pub fn cvxpy_cases() -> Vec<CvxpyCase> {
    let fx: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/cvxpy_mean_variance.json")).unwrap();
    assert_eq!(fx["meta"]["tool"], "cvxpy");
    fx["cases"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, case)| {
            let mu = vec_of(&case["mu"]);
            let n = mu.len();
            let rows: Vec<Vec<f64>> = case["cov"].as_array().unwrap().iter().map(vec_of).collect();
            CvxpyCase {
                name: name.clone(),
                cov: nalgebra::DMatrix::from_fn(n, n, |i, j| rows[i][j]),
                mu,
                prev: vec_of(&case["prev"]),
                sectors: case["sectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_u64().unwrap() as usize)
                    .collect(),
                raw: case.clone(),
            }
        })
        .collect()
}
