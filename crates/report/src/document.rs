//! The report document: a title, then blocks (headings, paragraphs, tables, charts) rendered
//! into one self-contained HTML page (inline CSS, inline SVG, no script, no network).

use std::fmt::Write;
use std::path::Path;

use crate::escape::escape;
use crate::table::Table;

/// One block of the page.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
    Table(Table),
    Svg(String),
    Note(String),
}

/// A self-contained HTML report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    title: String,
    subtitle: String,
    blocks: Vec<Block>,
}

const CSS: &str = "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px auto;max-width:960px;color:#222;background:#fafafa}\
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}\
.sub{color:#666;font-size:13px;margin-bottom:16px}p{font-size:14px;line-height:1.45}.note{font-size:12px;color:#555}\
table{border-collapse:collapse;font-size:12.5px;margin:8px 0;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px}td{white-space:nowrap}\
th{background:#f0f0f0;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}\
td.pass{color:#1a7f37;font-weight:600}td.fail{color:#c62828;font-weight:600}td.na{color:#888}\
figure{margin:10px 0;background:#fff;border:1px solid #e3e3e3}svg{display:block;max-width:100%;height:auto}\
svg text{font-family:inherit}.ct{font-size:14px;font-weight:600}.tk{font-size:11px;fill:#444}.al{font-size:12px;fill:#444}\
.lg{font-size:12px;fill:#333}.nd{font-size:13px;fill:#888}.cv{font-size:10px}\
.grid{stroke:#eee}.zero{stroke:#999}.axis{stroke:#666}";

impl Report {
    /// An empty report.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subtitle: String::new(),
            blocks: Vec::new(),
        }
    }

    /// A line under the title (e.g. the command and date that made the report).
    pub fn subtitle(&mut self, text: impl Into<String>) -> &mut Self {
        self.subtitle = text.into();
        self
    }

    /// A section heading (`level` 2 or 3; clamped).
    pub fn heading(&mut self, level: u8, text: impl Into<String>) -> &mut Self {
        self.blocks
            .push(Block::Heading(level.clamp(2, 3), text.into()));
        self
    }

    /// A paragraph of plain text (escaped).
    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    /// A small-print note (escaped).
    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Note(text.into()));
        self
    }

    /// A table.
    pub fn table(&mut self, table: Table) -> &mut Self {
        self.blocks.push(Block::Table(table));
        self
    }

    /// A chart: an `<svg>` element made by this crate's charts (`LineChart::to_svg`, …).
    /// Anything that is not an `<svg …>…</svg>` element is escaped and shown as text.
    pub fn chart(&mut self, svg: String) -> &mut Self {
        if svg.starts_with("<svg") && svg.ends_with("</svg>") {
            self.blocks.push(Block::Svg(svg));
        } else {
            self.blocks.push(Block::Note(svg));
        }
        self
    }

    /// The whole page.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title><style>{CSS}</style></head><body><h1>{t}</h1>",
            t = escape(&self.title)
        );
        if !self.subtitle.is_empty() {
            let _ = write!(out, r#"<div class="sub">{}</div>"#, escape(&self.subtitle));
        }
        for b in &self.blocks {
            match b {
                Block::Heading(l, s) => {
                    let _ = write!(out, "<h{l}>{}</h{l}>", escape(s));
                }
                Block::Paragraph(s) => {
                    let _ = write!(out, "<p>{}</p>", escape(s));
                }
                Block::Note(s) => {
                    let _ = write!(out, r#"<p class="note">{}</p>"#, escape(s));
                }
                Block::Table(t) => out.push_str(&t.to_html()),
                Block::Svg(s) => {
                    let _ = write!(out, "<figure>{s}</figure>");
                }
            }
        }
        out.push_str("</body></html>\n");
        out
    }

    /// Writes the page to `path`.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, self.render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cell, LineChart, XAxis};

    #[test]
    fn page_is_self_contained_and_balanced() {
        let mut r = Report::new("Tear <sheet>");
        r.subtitle("made by test")
            .heading(2, "IC & co")
            .paragraph("a < b")
            .table(Table::new(["x"]).row(vec![Cell::Num(1.0, 1)]))
            .chart(
                LineChart::new("l", XAxis::Values(vec![1.0, 2.0]))
                    .series("s", vec![1.0, 2.0])
                    .to_svg(),
            )
            .chart("<script>alert(1)</script>".to_string());
        let html = r.render();
        assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
        assert!(html.contains("<title>Tear &lt;sheet&gt;</title>") && html.contains("IC &amp; co"));
        let offline = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !html.contains("<script") && !offline.contains("http") && !offline.contains("src=")
        );
        for tag in ["svg", "table", "figure", "h2", "tr", "p"] {
            let opens = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            assert_eq!(
                opens,
                html.matches(&format!("</{tag}>")).count(),
                "unbalanced <{tag}>"
            );
        }
    }
}
