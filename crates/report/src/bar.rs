//! Bar chart (grouped bars per category) and histogram.

use std::fmt::Write;

use crate::escape::{escape, fmt_num, fmt_tick};
use crate::line::Series;
use crate::scale::Scale;
use crate::svg::{self, Area};

/// Grouped vertical bars: one group per category, one bar per series; `NaN` bars are omitted.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    title: String,
    categories: Vec<String>,
    series: Vec<Series>,
    y_label: String,
}

impl BarChart {
    /// An empty chart over `categories`.
    pub fn new(title: impl Into<String>, categories: Vec<String>) -> Self {
        Self {
            title: title.into(),
            categories,
            series: Vec::new(),
            y_label: String::new(),
        }
    }

    /// Adds a series (one value per category).
    pub fn series(mut self, name: impl Into<String>, values: Vec<f64>) -> Self {
        self.series.push(Series {
            name: name.into(),
            values,
        });
        self
    }

    /// Sets the y-axis label.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// The chart as an `<svg>` element.
    pub fn to_svg(&self) -> String {
        let height = 320.0;
        let area = Area::standard(height);
        let mut out = String::new();
        svg::open(&mut out, &self.title, height);
        let nc = self.categories.len();
        let y = Scale::fit(
            self.series
                .iter()
                .flat_map(|s| s.values.iter().take(nc).copied()),
            Some(0.0),
            area.bottom,
            area.top,
        );
        let Some(y) = y.filter(|_| nc > 0 && !self.series.is_empty()) else {
            svg::no_data(&mut out, area);
            svg::close(&mut out);
            return out;
        };
        svg::y_axis(&mut out, area, &y, &self.y_label);
        let group = (area.right - area.left) / nc as f64;
        let bar = group * 0.8 / self.series.len() as f64;
        let zero = y.px(0.0);
        for (c, cat) in self.categories.iter().enumerate() {
            let g0 = area.left + c as f64 * group + group * 0.1;
            for (i, s) in self.series.iter().enumerate() {
                let v = s.values.get(c).copied().unwrap_or(f64::NAN);
                if !v.is_finite() {
                    continue;
                }
                let p = y.px(v);
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="{col}"><title>{t}</title></rect>"#,
                    x = g0 + i as f64 * bar,
                    top = p.min(zero),
                    w = (bar - 1.0).max(1.0),
                    h = (p - zero).abs().max(0.5),
                    col = svg::color(i),
                    t = escape(&format!("{} · {}: {}", cat, s.name, fmt_num(v, 6))),
                );
            }
            if nc <= 40 {
                svg::x_tick(&mut out, area, area.left + (c as f64 + 0.5) * group, cat);
            }
        }
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        svg::legend(&mut out, area, &names);
        svg::close(&mut out);
        out
    }
}

/// Histogram of the finite values into `bins` equal-width bins; the number of skipped
/// non-finite values and the mean are written under the title.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    title: String,
    values: Vec<f64>,
    bins: usize,
    x_label: String,
}

impl Histogram {
    /// A histogram of `values` with `bins` bins (at least 1).
    pub fn new(title: impl Into<String>, values: Vec<f64>, bins: usize) -> Self {
        Self {
            title: title.into(),
            values,
            bins: bins.max(1),
            x_label: String::new(),
        }
    }

    /// Sets the x-axis label.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// Bin counts and the `[lo, hi]` range they cover (`None` without finite values).
    pub fn counts(&self) -> Option<(Vec<usize>, f64, f64)> {
        let f: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let lo = f.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = f.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return None;
        }
        let (lo, hi) = if lo == hi {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        };
        let mut counts = vec![0usize; self.bins];
        for v in f {
            let k = (((v - lo) / (hi - lo)) * self.bins as f64).floor() as usize;
            counts[k.min(self.bins - 1)] += 1;
        }
        Some((counts, lo, hi))
    }

    /// The chart as an `<svg>` element.
    pub fn to_svg(&self) -> String {
        let height = 300.0;
        let area = Area::standard(height);
        let mut out = String::new();
        svg::open(&mut out, &self.title, height);
        let Some((counts, lo, hi)) = self.counts() else {
            svg::no_data(&mut out, area);
            svg::close(&mut out);
            return out;
        };
        let finite: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let mean = finite.iter().sum::<f64>() / finite.len() as f64;
        let skipped = self.values.len() - finite.len();
        let _ = write!(
            out,
            r#"<text x="{x}" y="40" text-anchor="middle" class="lg">n = {n}, mean = {m}{s}</text>"#,
            x = svg::WIDTH / 2.0,
            n = finite.len(),
            m = fmt_num(mean, 4),
            s = if skipped > 0 {
                format!(", {skipped} missing skipped")
            } else {
                String::new()
            },
        );
        let y = Scale::fit(
            counts.iter().map(|&c| c as f64),
            Some(0.0),
            area.bottom,
            area.top,
        );
        let Some(y) = y else {
            svg::close(&mut out);
            return out;
        };
        svg::y_axis(&mut out, area, &y, "count");
        let x = Scale {
            lo,
            hi,
            p0: area.left,
            p1: area.right,
            ticks: Vec::new(),
        };
        let w = (area.right - area.left) / counts.len() as f64;
        for (k, &c) in counts.iter().enumerate() {
            let top = y.px(c as f64);
            let _ = write!(
                out,
                r##"<rect x="{x0:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}" fill="#1f77b4" stroke="#fff" stroke-width="0.5"/>"##,
                x0 = area.left + k as f64 * w,
                w = w.max(1.0),
                h = (area.bottom - top).max(0.0),
            );
        }
        let ticks = Scale::fit([lo, hi], None, 0.0, 1.0)
            .map(|s| s.ticks)
            .unwrap_or_default();
        for t in ticks.into_iter().filter(|t| *t >= lo && *t <= hi) {
            svg::x_tick(&mut out, area, x.px(t), &fmt_tick(t));
        }
        if mean >= lo && mean <= hi {
            let p = x.px(mean);
            let _ = write!(
                out,
                r##"<line x1="{p:.1}" x2="{p:.1}" y1="{t}" y2="{b}" stroke="#d62728" stroke-dasharray="4 3"/>"##,
                t = area.top,
                b = area.bottom
            );
        }
        if !self.x_label.is_empty() {
            let _ = write!(
                out,
                r#"<text x="{x}" y="{y}" text-anchor="middle" class="al">{l}</text>"#,
                x = (area.left + area.right) / 2.0,
                y = height - 4.0,
                l = escape(&self.x_label)
            );
        }
        svg::close(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_skip_nan() {
        let h = Histogram::new("h", vec![0.0, 0.1, 0.2, 0.9, 1.0, f64::NAN], 2);
        let (counts, lo, hi) = h.counts().unwrap();
        assert_eq!((counts, lo, hi), (vec![3, 2], 0.0, 1.0));
        let svg = h.to_svg();
        assert!(svg.contains("1 missing skipped") && !svg.contains("NaN"));
        assert!(Histogram::new("h", vec![f64::NAN], 5)
            .to_svg()
            .contains("no finite data"));
        assert_eq!(
            Histogram::new("h", vec![2.0, 2.0], 4)
                .counts()
                .unwrap()
                .0
                .iter()
                .sum::<usize>(),
            2
        );
    }

    #[test]
    fn bars_skip_nan_and_escape_labels() {
        let svg = BarChart::new("q", vec!["Q1".into(), "<Q2>".into()])
            .series("h1", vec![-0.01, f64::NAN])
            .series("h5", vec![0.02, 0.03])
            .to_svg();
        assert_eq!(svg.matches("<rect x=").count(), 3 + 2); // 3 bars + 2 legend swatches
        assert!(svg.contains("&lt;Q2&gt;") && !svg.contains("NaN"));
    }
}
