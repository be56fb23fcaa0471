//! Shared SVG plumbing: the plot frame (title, grid, axes, tick labels), the palette, legends.

use crate::escape::{escape, fmt_tick};
use crate::scale::Scale;
use std::fmt::Write;

/// Width of every chart, pixels.
pub const WIDTH: f64 = 900.0;
/// Categorical palette (colour-blind-friendly order of Tableau 10).
pub const PALETTE: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// The colour of series number `i`.
pub fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Plot area inside a chart of `WIDTH × height`.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    /// Left edge.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// Top edge.
    pub top: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Area {
    /// The standard plot area of a chart `height` pixels tall.
    pub fn standard(height: f64) -> Self {
        Self {
            left: 70.0,
            right: WIDTH - 45.0,
            top: 50.0,
            bottom: height - 40.0,
        }
    }
}

/// Opens an `<svg>` with its title; `height` in pixels.
pub fn open(out: &mut String, title: &str, height: f64) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{t}"><rect width="100%" height="100%" fill="#fff"/><text x="{x}" y="20" text-anchor="middle" class="ct">{t}</text>"##,
        t = escape(title),
        x = WIDTH / 2.0,
    );
}

/// Closes the `<svg>`.
pub fn close(out: &mut String) {
    out.push_str("</svg>");
}

/// A centred "no data" note inside the plot area.
pub fn no_data(out: &mut String, area: Area) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" class="nd">no finite data</text>"#,
        (area.left + area.right) / 2.0,
        (area.top + area.bottom) / 2.0
    );
}

/// Horizontal grid lines and tick labels of a vertical value scale, plus the axis label.
pub fn y_axis(out: &mut String, area: Area, y: &Scale, label: &str) {
    for &v in &y.ticks {
        let p = y.px(v);
        let cls = if v == 0.0 { "zero" } else { "grid" };
        let _ = write!(
            out,
            r#"<line x1="{l}" x2="{r}" y1="{p:.1}" y2="{p:.1}" class="{cls}"/><text x="{tx}" y="{ty:.1}" text-anchor="end" class="tk">{s}</text>"#,
            l = area.left,
            r = area.right,
            tx = area.left - 6.0,
            ty = p + 4.0,
            s = escape(&fmt_tick(v)),
        );
    }
    if !label.is_empty() {
        let _ = write!(
            out,
            r#"<text transform="translate(14 {c:.1}) rotate(-90)" text-anchor="middle" class="al">{l}</text>"#,
            c = (area.top + area.bottom) / 2.0,
            l = escape(label)
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{l}" x2="{l}" y1="{t}" y2="{b}" class="axis"/><line x1="{l}" x2="{r}" y1="{b}" y2="{b}" class="axis"/>"#,
        l = area.left,
        r = area.right,
        t = area.top,
        b = area.bottom
    );
}

/// One x tick label at pixel `x`.
pub fn x_tick(out: &mut String, area: Area, x: f64, label: &str) {
    let _ = write!(
        out,
        r#"<line x1="{x:.1}" x2="{x:.1}" y1="{b}" y2="{b2}" class="axis"/><text x="{x:.1}" y="{ty}" text-anchor="middle" class="tk">{s}</text>"#,
        b = area.bottom,
        b2 = area.bottom + 4.0,
        ty = area.bottom + 18.0,
        s = escape(label)
    );
}

/// A one-line legend above the plot area (only when there are several series).
pub fn legend(out: &mut String, area: Area, names: &[&str]) {
    if names.len() < 2 {
        return;
    }
    let mut x = area.left;
    for (i, name) in names.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="30" width="12" height="12" fill="{c}"/><text x="{tx:.1}" y="40" class="lg">{n}</text>"#,
            c = color(i),
            tx = x + 16.0,
            n = escape(name)
        );
        x += 16.0 + 7.0 * name.chars().count() as f64 + 18.0;
    }
}
