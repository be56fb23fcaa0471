//! exp(x) inlined for the EGARCH recursions, where one exp per observation sits on the critical
//! path h_t → e^{−h_t/2} → z_t → h_{t+1} and libm's `exp` (a call plus its error-handling wrapper)
//! is a quarter of a fit's instructions.
//!
//! Method (Tang's table-driven exp): k = round(32x/ln 2), r = x − k·ln2/32 with ln2/32 split in a
//! 32-bit head and a tail (k·head is exact), |r| ≤ ln2/64; e^x = 2^⌊k/32⌋ · 2^{(k mod 32)/32} · e^r
//! with the 32 table entries correctly rounded and e^r − 1 by its Taylor polynomial to r⁶ (the
//! first omitted term, r⁷/7! < 4e-18). About 1 ulp; outside (−708, 709) — and for NaN — it defers
//! to `f64::exp`.

/// 2^{j/32}, j = 0..32, correctly rounded (computed in 60-digit decimal arithmetic).
const TABLE: [f64; 32] = [
    f64::from_bits(0x3ff0000000000000),
    f64::from_bits(0x3ff059b0d3158574),
    f64::from_bits(0x3ff0b5586cf9890f),
    f64::from_bits(0x3ff11301d0125b51),
    f64::from_bits(0x3ff172b83c7d517b),
    f64::from_bits(0x3ff1d4873168b9aa),
    f64::from_bits(0x3ff2387a6e756238),
    f64::from_bits(0x3ff29e9df51fdee1),
    f64::from_bits(0x3ff306fe0a31b715),
    f64::from_bits(0x3ff371a7373aa9cb),
    f64::from_bits(0x3ff3dea64c123422),
    f64::from_bits(0x3ff44e086061892d),
    f64::from_bits(0x3ff4bfdad5362a27),
    f64::from_bits(0x3ff5342b569d4f82),
    f64::from_bits(0x3ff5ab07dd485429),
    f64::from_bits(0x3ff6247eb03a5585),
    f64::from_bits(0x3ff6a09e667f3bcd),
    f64::from_bits(0x3ff71f75e8ec5f74),
    f64::from_bits(0x3ff7a11473eb0187),
    f64::from_bits(0x3ff82589994cce13),
    f64::from_bits(0x3ff8ace5422aa0db),
    f64::from_bits(0x3ff93737b0cdc5e5),
    f64::from_bits(0x3ff9c49182a3f090),
    f64::from_bits(0x3ffa5503b23e255d),
    f64::from_bits(0x3ffae89f995ad3ad),
    f64::from_bits(0x3ffb7f76f2fb5e47),
    f64::from_bits(0x3ffc199bdd85529c),
    f64::from_bits(0x3ffcb720dcef9069),
    f64::from_bits(0x3ffd5818dcfba487),
    f64::from_bits(0x3ffdfc97337b9b5f),
    f64::from_bits(0x3ffea4afa2a490da),
    f64::from_bits(0x3fff50765b6e4540),
];
/// 32/ln 2.
const INV_STEP: f64 = 46.166_241_308_446_83;
/// ln2/32 = STEP_HI + STEP_LO, STEP_HI with a 32-bit significand.
const STEP_HI: f64 = 0.021_660_849_393_811_077;
const STEP_LO: f64 = -1.312_785_960_212_839e-12;
/// 1.5·2⁵²: adding and subtracting it rounds to the nearest integer.
const SHIFT: f64 = 6_755_399_441_055_744.0;

/// e^x to about 1 ulp.
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    if !(x > -708.0 && x < 709.0) {
        return x.exp();
    }
    let kf = (x * INV_STEP + SHIFT) - SHIFT;
    let k = kf as i64;
    let r = (x - kf * STEP_HI) - kf * STEP_LO;
    let r2 = r * r;
    // e^r − 1 = r + r²(1/2 + r/6) + r⁴(1/24 + r/120 + r²/720), grouped to shorten the chain.
    let p = r
        + r2 * (0.5 + r * (1.0 / 6.0))
        + (r2 * r2) * (1.0 / 24.0 + r * (1.0 / 120.0) + r2 * (1.0 / 720.0));
    let t = TABLE[(k & 31) as usize];
    let scale = f64::from_bits((((k >> 5) + 1023) as u64) << 52);
    (t + t * p) * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_to_about_one_ulp() {
        let mut worst = 0.0f64;
        let mut x = -707.9;
        while x < 708.9 {
            for dx in [0.0, 1e-3, 0.37, 0.6113] {
                let v = x + dx;
                let (a, b) = (exp(v), v.exp());
                worst = worst.max((a - b).abs() / b);
            }
            x += 0.913;
        }
        for i in 0..20_000 {
            let v = -2.0 + i as f64 * 2e-4;
            let (a, b) = (exp(v), v.exp());
            worst = worst.max((a - b).abs() / b);
        }
        assert!(worst < 3e-16, "worst relative error {worst:e}");
    }

    #[test]
    fn extremes_defer_to_libm() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(800.0), f64::INFINITY);
        assert_eq!(exp(-800.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(-1e300), 0.0);
    }
}
