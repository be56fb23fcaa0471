//! Heatmap of a square matrix (a correlation matrix) with a diverging blue–white–red palette,
//! row/column labels and, for small matrices, the value in each cell.

use std::fmt::Write;

use crate::escape::{escape, fmt_num};
use crate::svg;

/// A labelled `n × n` matrix (row-major) shown on a diverging scale from `lo` (blue) through
/// the midpoint (white) to `hi` (red); `NaN` cells are grey.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    title: String,
    labels: Vec<String>,
    values: Vec<f64>,
    lo: f64,
    hi: f64,
}

impl Heatmap {
    /// A correlation heatmap on `[-1, 1]`. Missing values (a short `values`) show as `NaN`.
    pub fn new(title: impl Into<String>, labels: Vec<String>, values: Vec<f64>) -> Self {
        Self {
            title: title.into(),
            labels,
            values,
            lo: -1.0,
            hi: 1.0,
        }
    }

    /// Sets the colour range (`lo < hi`; ignored otherwise).
    pub fn range(mut self, lo: f64, hi: f64) -> Self {
        if lo.is_finite() && hi.is_finite() && lo < hi {
            self.lo = lo;
            self.hi = hi;
        }
        self
    }

    /// The fill colour of value `v`.
    pub fn fill(&self, v: f64) -> String {
        if !v.is_finite() {
            return "#cccccc".to_string();
        }
        let mid = (self.lo + self.hi) / 2.0;
        let t = ((v - mid) / ((self.hi - self.lo) / 2.0)).clamp(-1.0, 1.0);
        // white → red (#b2182b) for t > 0, white → blue (#2166ac) for t < 0
        let (r, g, b) = if t >= 0.0 {
            (178.0, 24.0, 43.0)
        } else {
            (33.0, 102.0, 172.0)
        };
        let a = t.abs();
        let mix = |c: f64| (255.0 + (c - 255.0) * a).round() as u8;
        format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
    }

    /// The chart as an `<svg>` element.
    pub fn to_svg(&self) -> String {
        let n = self.labels.len();
        let label_w = 12.0
            + 7.0
                * self
                    .labels
                    .iter()
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(0)
                    .min(24) as f64;
        let cell = if n == 0 {
            0.0
        } else {
            ((svg::WIDTH - label_w - 40.0) / n as f64).min(60.0)
        };
        let (x0, y0) = (label_w, 40.0 + label_w);
        let height = y0 + cell * n as f64 + 20.0;
        let mut out = String::new();
        svg::open(&mut out, &self.title, height);
        for (i, label) in self.labels.iter().enumerate() {
            let short: String = label.chars().take(24).collect();
            let c = (i as f64 + 0.5) * cell;
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="end" class="tk">{l}</text><text transform="translate({tx:.1} {ty:.1}) rotate(-60)" class="tk">{l}</text>"#,
                x = x0 - 4.0,
                y = y0 + c + 4.0,
                tx = x0 + c + 3.0,
                ty = y0 - 4.0,
                l = escape(&short)
            );
        }
        let show_values = n <= 16;
        for i in 0..n {
            for j in 0..n {
                let v = self.values.get(i * n + j).copied().unwrap_or(f64::NAN);
                let _ = write!(
                    out,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{c:.1}" height="{c:.1}" fill="{f}" stroke="#fff" stroke-width="0.5"><title>{t}</title></rect>"##,
                    x = x0 + j as f64 * cell,
                    y = y0 + i as f64 * cell,
                    c = cell,
                    f = self.fill(v),
                    t = escape(&format!(
                        "{} × {}: {}",
                        self.labels[i],
                        self.labels[j],
                        fmt_num(v, 3)
                    )),
                );
                if show_values {
                    let dark = v.is_finite()
                        && ((v - (self.lo + self.hi) / 2.0) / ((self.hi - self.lo) / 2.0)).abs()
                            > 0.6;
                    let _ = write!(
                        out,
                        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" class="cv" fill="{col}">{s}</text>"#,
                        x = x0 + (j as f64 + 0.5) * cell,
                        y = y0 + (i as f64 + 0.5) * cell + 4.0,
                        col = if dark { "#fff" } else { "#222" },
                        s = fmt_num(v, 2),
                    );
                }
            }
        }
        svg::close(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_palette_endpoints() {
        let h = Heatmap::new("c", vec![], vec![]);
        assert_eq!(h.fill(1.0), "#b2182b");
        assert_eq!(h.fill(-1.0), "#2166ac");
        assert_eq!(h.fill(0.0), "#ffffff");
        assert_eq!(h.fill(f64::NAN), "#cccccc");
        assert_eq!(h.fill(7.0), "#b2182b");
    }

    #[test]
    fn cells_labels_and_nan() {
        let svg = Heatmap::new(
            "corr",
            vec!["a<1>".into(), "b".into()],
            vec![1.0, 0.3, 0.3, f64::NAN],
        )
        .to_svg();
        assert_eq!(svg.matches("<rect x=").count(), 4);
        assert!(svg.contains("a&lt;1&gt;") && svg.contains("#cccccc") && !svg.contains("NaN"));
        assert!(svg.contains(">0.30<") && svg.contains(">–<"));
    }
}
