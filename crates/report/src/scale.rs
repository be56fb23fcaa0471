//! Axis scales: "nice" tick steps (1, 2, 5 × 10^k) over the finite range of the data.

/// A linear map from data values to pixels, with its ticks.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Lowest data value shown.
    pub lo: f64,
    /// Highest data value shown.
    pub hi: f64,
    /// Pixel of `lo`.
    pub p0: f64,
    /// Pixel of `hi`.
    pub p1: f64,
    /// Tick values, ascending.
    pub ticks: Vec<f64>,
}

impl Scale {
    /// A scale covering the finite values of `values` (and `include`, e.g. 0 for bars), extended
    /// to nice tick boundaries, mapped onto pixels `p0..p1`. `None` when no value is finite.
    pub fn fit(
        values: impl IntoIterator<Item = f64>,
        include: Option<f64>,
        p0: f64,
        p1: f64,
    ) -> Option<Self> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.into_iter().chain(include) {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if !lo.is_finite() {
            return None;
        }
        if lo == hi {
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            lo -= pad;
            hi += pad;
        }
        let step = nice_step((hi - lo) / 5.0);
        let lo = (lo / step).floor() * step;
        let hi = (hi / step).ceil() * step;
        let n = ((hi - lo) / step).round() as usize;
        let ticks = (0..=n).map(|k| lo + k as f64 * step).collect();
        Some(Self {
            lo,
            hi,
            p0,
            p1,
            ticks,
        })
    }

    /// The pixel of value `v`.
    pub fn px(&self, v: f64) -> f64 {
        self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)
    }
}

/// The smallest 1, 2 or 5 × 10^k that is ≥ `raw` (raw > 0).
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_data() {
        let s = Scale::fit([0.013, -0.021, f64::NAN, 0.04], None, 300.0, 0.0).unwrap();
        assert!(s.lo <= -0.021 && s.hi >= 0.04);
        // range 0.061 / 5 = 0.0122 → step 0.02
        assert!((s.ticks[1] - s.ticks[0] - 0.02).abs() < 1e-12);
        assert_eq!(s.px(s.lo), 300.0);
        assert_eq!(s.px(s.hi), 0.0);
        assert!(Scale::fit([f64::NAN], None, 0.0, 1.0).is_none());
        let flat = Scale::fit([2.0, 2.0], Some(0.0), 0.0, 1.0).unwrap();
        assert!(flat.lo <= 0.0 && flat.hi >= 2.0);
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(0.013), 0.02);
    }
}
