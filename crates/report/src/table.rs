//! HTML tables with typed cells: text, numbers (right-aligned, `–` when missing), pass/fail.

use std::fmt::Write;

use crate::escape::{escape, fmt_num};

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, escaped.
    Text(String),
    /// A number with a count of decimals; `NaN` shows as `–`.
    Num(f64, usize),
    /// A gate outcome: pass, fail, or not evaluated (`None`).
    Pass(Option<bool>),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Num(x, 4)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Pass(Some(b))
    }
}

/// A table: a header row and body rows (short rows are padded with empty cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Self {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row(mut self, cells: Vec<Cell>) -> Self {
        self.rows.push(cells);
        self
    }

    /// Appends a row in place.
    pub fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Number of body rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no body rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as an HTML `<table>`.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table><thead><tr>");
        for h in &self.headers {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead><tbody>");
        let width = self
            .headers
            .len()
            .max(self.rows.iter().map(Vec::len).max().unwrap_or(0));
        for row in &self.rows {
            out.push_str("<tr>");
            for k in 0..width {
                match row.get(k) {
                    None => out.push_str("<td></td>"),
                    Some(Cell::Text(s)) => {
                        let _ = write!(out, "<td>{}</td>", escape(s));
                    }
                    Some(Cell::Num(x, d)) => {
                        let _ = write!(out, r#"<td class="num">{}</td>"#, fmt_num(*x, *d));
                    }
                    Some(Cell::Pass(p)) => out.push_str(match p {
                        Some(true) => r#"<td class="pass">pass</td>"#,
                        Some(false) => r#"<td class="fail">fail</td>"#,
                        None => r#"<td class="na">n/a</td>"#,
                    }),
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_render_typed_and_escaped() {
        let t = Table::new(["alpha", "IC", "gate"])
            .row(vec!["<b>x</b>".into(), 0.031_25.into(), true.into()])
            .row(vec!["y".into(), Cell::Num(f64::NAN, 2), Cell::Pass(None)])
            .row(vec!["short".into()]);
        let html = t.to_html();
        assert!(html.contains("<td>&lt;b&gt;x&lt;/b&gt;</td>"));
        assert!(
            html.contains(r#"<td class="num">0.0312</td>"#)
                || html.contains(r#"<td class="num">0.0313</td>"#)
        );
        assert!(
            html.contains(r#"<td class="num">–</td>"#)
                && html.contains("n/a")
                && html.contains("pass")
        );
        assert_eq!(html.matches("<tr>").count(), 4);
        assert_eq!(html.matches("<td").count(), 9);
        assert!(!html.contains("NaN"));
    }
}
