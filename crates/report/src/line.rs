//! Line chart: several series over dates or numbers; `NaN` points break the line.

use chrono::NaiveDateTime;
use std::fmt::Write;

use crate::scale::Scale;
use crate::svg::{self, Area};

/// The horizontal axis of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Dates (positioned by time, labelled `YYYY-MM-DD`).
    Dates(Vec<NaiveDateTime>),
    /// Plain numbers (e.g. horizons).
    Values(Vec<f64>),
}

impl XAxis {
    fn len(&self) -> usize {
        match self {
            XAxis::Dates(d) => d.len(),
            XAxis::Values(v) => v.len(),
        }
    }

    fn raw(&self, i: usize) -> f64 {
        match self {
            XAxis::Dates(d) => d[i].and_utc().timestamp() as f64,
            XAxis::Values(v) => v[i],
        }
    }
}

/// A named series of values, one per x position (`NaN` = no point).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values.
    pub values: Vec<f64>,
}

/// A line chart. Build with [`LineChart::new`] and [`LineChart::series`], render with
/// [`LineChart::to_svg`].
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    title: String,
    x: XAxis,
    series: Vec<Series>,
    y_label: String,
    height: f64,
}

impl LineChart {
    /// An empty chart over `x`.
    pub fn new(title: impl Into<String>, x: XAxis) -> Self {
        Self {
            title: title.into(),
            x,
            series: Vec::new(),
            y_label: String::new(),
            height: 320.0,
        }
    }

    /// Adds a series; values beyond the x axis are ignored, missing ones are gaps.
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

    /// Sets the height in pixels (default 320).
    pub fn height(mut self, height: f64) -> Self {
        self.height = height.max(120.0);
        self
    }

    /// The chart as a self-contained `<svg>` element.
    pub fn to_svg(&self) -> String {
        let mut out = String::new();
        let area = Area::standard(self.height);
        svg::open(&mut out, &self.title, self.height);
        let n = self.x.len();
        let xs: Vec<f64> = (0..n).map(|i| self.x.raw(i)).collect();
        let xscale = Scale::fit(xs.iter().copied(), None, area.left, area.right);
        let yscale = Scale::fit(
            self.series
                .iter()
                .flat_map(|s| s.values.iter().take(n).copied()),
            None,
            area.bottom,
            area.top,
        );
        let (Some(mut xscale), Some(yscale)) = (xscale, yscale) else {
            svg::no_data(&mut out, area);
            svg::close(&mut out);
            return out;
        };
        if let Some((lo, hi)) = finite_range(&xs) {
            if lo < hi {
                xscale.lo = lo;
                xscale.hi = hi;
            }
        }
        svg::y_axis(&mut out, area, &yscale, &self.y_label);
        self.x_ticks(&mut out, area, &xscale, &xs);
        for (i, s) in self.series.iter().enumerate() {
            let mut d = String::new();
            let mut pen_down = false;
            for (k, &v) in s.values.iter().take(n).enumerate() {
                if v.is_finite() && xs[k].is_finite() {
                    let _ = write!(
                        d,
                        "{}{:.1} {:.1}",
                        if pen_down { " L" } else { " M" },
                        xscale.px(xs[k]),
                        yscale.px(v)
                    );
                    pen_down = true;
                } else {
                    pen_down = false;
                }
            }
            if !d.is_empty() {
                let _ = write!(
                    out,
                    r#"<path d="{}" fill="none" stroke="{}" stroke-width="1.5"/>"#,
                    d.trim(),
                    svg::color(i)
                );
            }
        }
        let names: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        svg::legend(&mut out, area, &names);
        svg::close(&mut out);
        out
    }

    fn x_ticks(&self, out: &mut String, area: Area, xscale: &Scale, xs: &[f64]) {
        match &self.x {
            XAxis::Dates(dates) => {
                let idx: Vec<usize> = (0..dates.len()).filter(|&i| xs[i].is_finite()).collect();
                let k = idx.len().min(7);
                for j in 0..k {
                    let i = idx[if k == 1 {
                        0
                    } else {
                        j * (idx.len() - 1) / (k - 1)
                    }];
                    svg::x_tick(
                        out,
                        area,
                        xscale.px(xs[i]),
                        &dates[i].format("%Y-%m-%d").to_string(),
                    );
                }
            }
            XAxis::Values(_) => {
                let ticks = Scale::fit([xscale.lo, xscale.hi], None, 0.0, 1.0)
                    .map(|s| s.ticks)
                    .unwrap_or_default();
                for t in ticks
                    .into_iter()
                    .filter(|t| *t >= xscale.lo && *t <= xscale.hi)
                {
                    svg::x_tick(out, area, xscale.px(t), &crate::escape::fmt_tick(t));
                }
            }
        }
    }
}

fn finite_range(xs: &[f64]) -> Option<(f64, f64)> {
    let f: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let lo = f.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = f.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    lo.is_finite().then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 1, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    #[test]
    fn nan_breaks_the_line_and_titles_are_escaped() {
        let svg = LineChart::new("IC <daily>", XAxis::Dates((1..=5).map(day).collect()))
            .series("a&b", vec![0.1, 0.2, f64::NAN, 0.1, 0.3])
            .series("c", vec![0.0; 5])
            .to_svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("IC &lt;daily&gt;") && svg.contains("a&amp;b"));
        assert!(!svg.contains("NaN"));
        let path = svg.split("<path d=\"").nth(1).unwrap();
        assert_eq!(path.split('"').next().unwrap().matches('M').count(), 2);
        assert!(svg.contains("2024-01-01") && svg.contains("2024-01-05"));
    }

    #[test]
    fn all_nan_says_no_data() {
        let svg = LineChart::new("t", XAxis::Values(vec![1.0, 2.0]))
            .series("s", vec![f64::NAN; 2])
            .to_svg();
        assert!(svg.contains("no finite data") && !svg.contains("NaN"));
    }
}
