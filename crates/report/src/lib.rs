//! Self-contained HTML reports for alphafactory: one file, inline CSS, inline SVG charts, no
//! JavaScript and no network — it opens the same in any browser, offline, years later.
//!
//! Charts: [`LineChart`] (several series over dates or numbers, `NaN` = gap), [`BarChart`]
//! (grouped bars), [`Histogram`], [`Heatmap`] (a correlation matrix on a diverging palette);
//! plus typed [`Table`]s. Every piece of text is escaped; `NaN` never reaches the page (tables
//! show `–`, charts skip the point or say "no finite data").
//!
//! ```
//! use af_report::{Cell, Histogram, LineChart, Report, Table, XAxis};
//! let mut page = Report::new("Factor tear sheet");
//! page.heading(2, "Information coefficient")
//!     .table(Table::new(["alpha", "IC", "gates"]).row(vec!["mom5".into(), Cell::Num(0.031, 3), true.into()]))
//!     .chart(LineChart::new("Daily IC", XAxis::Values(vec![1.0, 2.0, 3.0]))
//!         .series("mom5", vec![0.02, f64::NAN, 0.05])
//!         .to_svg())
//!     .chart(Histogram::new("IC distribution", vec![0.02, 0.05, -0.01], 10).to_svg());
//! let html = page.render();
//! assert!(html.contains("<svg") && !html.contains("NaN"));
//! ```
//!
//! Users: the factor tear sheet (`alphafactory alpha analyze --report`), the GARCH factory
//! report and the portfolio tear sheet.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod bar;
mod document;
mod escape;
mod heatmap;
mod line;
mod scale;
mod svg;
mod table;

pub use bar::{BarChart, Histogram};
pub use document::Report;
pub use escape::{escape, fmt_num, fmt_tick};
pub use heatmap::Heatmap;
pub use line::{LineChart, Series, XAxis};
pub use scale::{nice_step, Scale};
pub use svg::{color, PALETTE};
pub use table::{Cell, Table};
