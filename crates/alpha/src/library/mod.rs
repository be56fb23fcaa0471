//! Named alphas: `alpha101:001` … `alpha101:101` (Kakushadze 2016) and `tech:<name>` (basic and
//! technical factors), resolved to expression source text.

pub mod alpha101;
pub mod technical;

pub use alpha101::ALPHA101;
pub use technical::TECHNICALS;

use crate::error::{ExprError, ExprErrorKind, Span};

/// A named alpha: its canonical name (`alpha101:007`) and source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryAlpha {
    /// Canonical name.
    pub name: String,
    /// Expression source.
    pub source: &'static str,
}

/// Alpha#n (1-based) of the 101.
pub fn alpha101(n: usize) -> Option<LibraryAlpha> {
    let source = *ALPHA101.get(n.checked_sub(1)?)?;
    Some(LibraryAlpha {
        name: format!("alpha101:{n:03}"),
        source,
    })
}

/// All entries of a library: `alpha101` or `tech`.
pub fn library(name: &str) -> Option<Vec<LibraryAlpha>> {
    match name.to_ascii_lowercase().as_str() {
        "alpha101" => Some((1..=101).filter_map(alpha101).collect()),
        "tech" | "technical" => Some(
            TECHNICALS
                .iter()
                .map(|(n, s)| LibraryAlpha {
                    name: format!("tech:{n}"),
                    source: s,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Resolve a library name such as `alpha101:7`, `alpha101:007` or `tech:rsi14`.
pub fn resolve(name: &str) -> Result<LibraryAlpha, ExprError> {
    let err = || {
        ExprError::new(
            ExprErrorKind::UnknownLibraryEntry(name.to_string()),
            Span::new(0, name.len()),
            name,
        )
    };
    let (lib, entry) = name.split_once(':').ok_or_else(err)?;
    match lib.to_ascii_lowercase().as_str() {
        "alpha101" => entry
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(alpha101)
            .ok_or_else(err),
        "tech" | "technical" => TECHNICALS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(entry.trim()))
            .map(|(n, s)| LibraryAlpha {
                name: format!("tech:{n}"),
                source: s,
            })
            .ok_or_else(err),
        _ => Err(err()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_names() {
        assert_eq!(resolve("alpha101:7").unwrap().name, "alpha101:007");
        assert!(resolve("alpha101:001")
            .unwrap()
            .source
            .starts_with("(rank(Ts_ArgMax"));
        assert!(resolve("alpha101:101")
            .unwrap()
            .source
            .ends_with("+ .001))"));
        assert!(resolve("alpha101:102").is_err());
        assert!(resolve("alpha101:0").is_err());
        assert_eq!(resolve("tech:RSI14").unwrap().name, "tech:rsi14");
        assert!(resolve("nope").is_err());
        assert_eq!(library("alpha101").unwrap().len(), 101);
        assert_eq!(library("tech").unwrap().len(), TECHNICALS.len());
    }
}
