//! Header analysis: which column is the date, the asset, a metadata field or a numeric field.
//! Names are matched case-insensitively, ignoring surrounding spaces.

use std::path::Path;

use crate::error::DataError;

/// Accepted names of the date column.
pub const DATE_NAMES: [&str; 4] = ["date", "datetime", "timestamp", "time"];
/// Accepted names of the asset column.
pub const ASSET_NAMES: [&str; 3] = ["asset", "ticker", "symbol"];
/// Fields that are prices: they must be positive.
pub const PRICE_FIELDS: [&str; 5] = ["open", "high", "low", "close", "vwap"];
/// Fields stored under their lower-case canonical name.
pub const KNOWN_FIELDS: [&str; 7] = ["open", "high", "low", "close", "volume", "vwap", "cap"];

/// The metadata field a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    /// Sector.
    Sector,
    /// Industry.
    Industry,
    /// Sub-industry.
    SubIndustry,
    /// Market.
    Market,
}

/// What one column of a long file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The date / timestamp.
    Date,
    /// The asset identifier.
    Asset,
    /// Asset metadata.
    Meta(MetaField),
    /// A numeric field, stored under the given name.
    Field(String),
}

/// The roles of every column of a long file's header.
#[derive(Debug, Clone)]
pub struct LongLayout {
    /// Header names as written.
    pub names: Vec<String>,
    /// Role per column.
    pub roles: Vec<Role>,
    /// Index of the date column.
    pub date: usize,
    /// Index of the asset column.
    pub asset: usize,
}

impl LongLayout {
    /// Map a header; errors name the missing or repeated column.
    pub fn from_header(
        path: &Path,
        names: &[String],
        required_fields: &[String],
    ) -> Result<Self, DataError> {
        let file = path.display().to_string();
        let mut roles = Vec::with_capacity(names.len());
        for raw in names {
            let lower = raw.trim().to_ascii_lowercase();
            let role = if DATE_NAMES.contains(&lower.as_str()) {
                Role::Date
            } else if ASSET_NAMES.contains(&lower.as_str()) {
                Role::Asset
            } else if let Some(m) = meta_field(&lower) {
                Role::Meta(m)
            } else if KNOWN_FIELDS.contains(&lower.as_str()) {
                Role::Field(lower)
            } else {
                Role::Field(raw.trim().to_string())
            };
            roles.push(role);
        }
        check_unique(&file, names, &roles)?;
        let find = |want: &Role, label: &str, hint: &str| {
            roles
                .iter()
                .position(|r| r == want)
                .ok_or_else(|| DataError::MissingColumn {
                    file: file.clone(),
                    column: label.to_string(),
                    found: names.join(", "),
                    hint: hint.to_string(),
                })
        };
        let date = find(
            &Role::Date,
            "date",
            "name the date column `date` (or datetime/timestamp/time)",
        )?;
        let asset = find(
            &Role::Asset,
            "asset",
            "name the asset column `asset` (or ticker/symbol), or read the file as wide",
        )?;
        for req in required_fields {
            let want = Role::Field(req.to_ascii_lowercase());
            find(
                &want,
                req,
                "add the column, or drop it from the required fields",
            )?;
        }
        Ok(LongLayout {
            names: names.to_vec(),
            roles,
            date,
            asset,
        })
    }
}

/// The metadata field a lower-case column name maps to.
pub fn meta_field(lower: &str) -> Option<MetaField> {
    match lower {
        "sector" => Some(MetaField::Sector),
        "industry" => Some(MetaField::Industry),
        "subindustry" | "sub_industry" | "sub-industry" => Some(MetaField::SubIndustry),
        "market" | "exchange" => Some(MetaField::Market),
        _ => None,
    }
}

/// Two columns mapping to the same role (e.g. `Close` and `close`, or `date` and `time`) are an
/// error naming both.
fn check_unique(file: &str, names: &[String], roles: &[Role]) -> Result<(), DataError> {
    for (j, r) in roles.iter().enumerate() {
        if let Some(i) = roles[..j].iter().position(|x| x == r) {
            return Err(DataError::DuplicateColumn {
                file: file.to_string(),
                column: names[j].clone(),
                index: j + 1,
                first: i + 1,
            });
        }
    }
    Ok(())
}

/// Whether a header names an asset column (the long-format marker used by `read_panel`).
pub fn has_asset_column(names: &[String]) -> bool {
    names
        .iter()
        .any(|n| ASSET_NAMES.contains(&n.trim().to_ascii_lowercase().as_str()))
}

/// Parse a numeric cell: empty, `NaN`, `NA`, `N/A`, `null`, `None`, `-` and `.` are missing
/// (`Some(NaN)`); `None` when the text is not a number.
#[inline]
pub fn parse_number(b: &[u8]) -> Option<f64> {
    let t = b.trim_ascii();
    if t.is_empty() {
        return Some(f64::NAN);
    }
    if let Some(v) = std::str::from_utf8(t).ok().and_then(fast_float) {
        return Some(v);
    }
    let missing = [
        &b"nan"[..],
        b"na",
        b"n/a",
        b"null",
        b"none",
        b"-",
        b".",
        b"#n/a",
    ];
    missing
        .iter()
        .any(|m| t.eq_ignore_ascii_case(m))
        .then_some(f64::NAN)
}

/// `str::parse::<f64>` (an Eisel–Lemire parser), rejecting the spellings of infinity, which a
/// market data file never legitimately holds.
#[inline]
fn fast_float(s: &str) -> Option<f64> {
    let v = s.parse::<f64>().ok()?;
    if v.is_infinite() || (v.is_nan() && !s.eq_ignore_ascii_case("nan")) {
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_roles_case_insensitively() {
        let names: Vec<String> = ["Date", "Ticker", "Close", "SECTOR", "myFactor"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let l = LongLayout::from_header(Path::new("x.csv"), &names, &["close".into()]).unwrap();
        assert_eq!((l.date, l.asset), (0, 1));
        assert_eq!(l.roles[2], Role::Field("close".into()));
        assert_eq!(l.roles[3], Role::Meta(MetaField::Sector));
        assert_eq!(l.roles[4], Role::Field("myFactor".into()));
    }

    #[test]
    fn parses_numbers_and_missing_markers() {
        assert_eq!(parse_number(b" 1.5 "), Some(1.5));
        assert_eq!(parse_number(b"-2e-3"), Some(-0.002));
        for m in ["", "NaN", "NA", "null", "N/A", "-"] {
            assert!(parse_number(m.as_bytes()).is_some_and(f64::is_nan), "{m}");
        }
        for bad in ["abc", "1,5", "inf", "1.2.3"] {
            assert_eq!(parse_number(bad.as_bytes()), None, "{bad}");
        }
    }
}
