//! Typed forecast units: a variance and a volatility are different quantities.

use serde::{Deserialize, Serialize};

/// A variance σ² (units of the series squared).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Variance(pub f64);

/// A volatility σ (units of the series).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Volatility(pub f64);

impl Variance {
    /// σ = √σ².
    pub fn to_volatility(self) -> Volatility {
        Volatility(self.0.sqrt())
    }
}

impl Volatility {
    /// σ² = σ·σ.
    pub fn to_variance(self) -> Variance {
        Variance(self.0 * self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_inverse() {
        let v = Variance(4.0);
        assert_eq!(v.to_volatility(), Volatility(2.0));
        assert_eq!(v.to_volatility().to_variance(), v);
    }
}
