//! Model grids: cartesian products written compactly in the experiment file, expanded into a
//! list of [`ModelSpec`]s. Every family is one variant of [`ModelGrid`] / [`ModelSpec`]
//! (unknown fields rejected), so later families are added without touching the engine.
//!
//! ```yaml
//! models:
//!   - garch: { vol: [garch, gjr, egarch], p: [1], q: [1], dist: [normal, t], mean: [constant] }
//! ```

use std::fmt;

use af_vol::spec::{Backcast, DistKind, GarchSpec, MeanSpec, VolKind};
use serde::{Deserialize, Serialize};

use crate::hash::{canonical_json, sha256_hex};

/// One model specification: what a task fits. Its hash is the registry key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// A GARCH-family volatility model (mean × variance × distribution).
    Garch(GarchSpec),
}

impl ModelSpec {
    /// Family name (`garch`).
    pub fn family(&self) -> &'static str {
        match self {
            ModelSpec::Garch(_) => "garch",
        }
    }

    /// Canonical JSON (sorted keys).
    pub fn canonical_json(&self) -> String {
        // Serializing plain enums and integers cannot fail.
        canonical_json(self).unwrap_or_default()
    }

    /// Spec hash: first 16 hex digits of SHA-256 of the canonical JSON.
    pub fn hash(&self) -> String {
        sha256_hex(&self.canonical_json(), 16)
    }
}

impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelSpec::Garch(g) => g.fmt(f),
        }
    }
}

/// A grid of one model family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelGrid {
    /// GARCH family grid.
    Garch(GarchGrid),
}

/// Variance process names accepted in a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolName {
    /// GARCH(p, q).
    Garch,
    /// GJR-GARCH (leverage), `o` ≥ 1.
    Gjr,
    /// Threshold GARCH (Zakoian), `o` ≥ 1.
    Tarch,
    /// EGARCH (Nelson).
    Egarch,
}

/// Distribution names accepted in a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistName {
    /// Normal.
    Normal,
    /// Student's t.
    #[serde(alias = "students_t", alias = "studentst")]
    T,
    /// Hansen's skewed t.
    #[serde(rename = "skewt", alias = "skew_t", alias = "skew_student")]
    SkewT,
    /// Generalized error distribution.
    Ged,
}

/// Mean model names accepted in a grid: `zero`, `constant`, `ar1` … `ar9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MeanName(pub MeanSpec);

impl TryFrom<String> for MeanName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "zero" => Ok(MeanName(MeanSpec::Zero)),
            "constant" => Ok(MeanName(MeanSpec::Constant)),
            _ => lower
                .strip_prefix("ar")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| (1..=9).contains(n))
                .map(|lags| MeanName(MeanSpec::Ar { lags }))
                .ok_or_else(|| format!("unknown mean `{s}`: expected zero, constant or ar1 … ar9")),
        }
    }
}

impl From<MeanName> for String {
    fn from(m: MeanName) -> String {
        match m.0 {
            MeanSpec::Zero => "zero".into(),
            MeanSpec::Constant => "constant".into(),
            MeanSpec::Ar { lags } => format!("ar{lags}"),
        }
    }
}

fn default_vol() -> Vec<VolName> {
    vec![VolName::Garch]
}
fn default_order() -> Vec<usize> {
    vec![1]
}
fn default_dist() -> Vec<DistName> {
    vec![DistName::Normal]
}
fn default_mean() -> Vec<MeanName> {
    vec![MeanName(MeanSpec::Constant)]
}

/// A GARCH grid: every combination of the lists becomes one [`GarchSpec`].
///
/// `o` (asymmetric order) defaults to 1 for `gjr` / `tarch` and 0 for `garch` / `egarch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GarchGrid {
    /// Variance processes.
    #[serde(default = "default_vol")]
    pub vol: Vec<VolName>,
    /// ARCH orders.
    #[serde(default = "default_order")]
    pub p: Vec<usize>,
    /// Asymmetric orders; `None` = the default per process.
    #[serde(default)]
    pub o: Option<Vec<usize>>,
    /// GARCH orders.
    #[serde(default = "default_order")]
    pub q: Vec<usize>,
    /// Error distributions.
    #[serde(default = "default_dist")]
    pub dist: Vec<DistName>,
    /// Mean models.
    #[serde(default = "default_mean")]
    pub mean: Vec<MeanName>,
}

impl ModelGrid {
    /// Expand the grid into specs in a fixed order (mean, vol, p, o, q, dist). Returns an error
    /// naming the field when a list is empty, an order is out of 0..=9, or a combination is
    /// impossible (GJR/TARCH without asymmetric lags, GARCH without ARCH lags).
    pub fn expand(&self) -> Result<Vec<ModelSpec>, String> {
        match self {
            ModelGrid::Garch(g) => g.expand(),
        }
    }
}

impl GarchGrid {
    fn expand(&self) -> Result<Vec<ModelSpec>, String> {
        for (name, empty) in [
            ("vol", self.vol.is_empty()),
            ("p", self.p.is_empty()),
            ("q", self.q.is_empty()),
            ("dist", self.dist.is_empty()),
            ("mean", self.mean.is_empty()),
            ("o", self.o.as_ref().is_some_and(Vec::is_empty)),
        ] {
            if empty {
                return Err(format!("garch.{name}: empty list; give at least one value"));
            }
        }
        let orders = self.p.iter().chain(&self.q).chain(self.o.iter().flatten());
        if let Some(bad) = orders.into_iter().find(|&&k| k > 9) {
            return Err(format!("garch: order {bad} is out of range 0..=9"));
        }
        let mut out = Vec::new();
        for mean in &self.mean {
            for vol in &self.vol {
                let (kind, default_o) = match vol {
                    VolName::Garch => (VolKind::Garch, 0),
                    VolName::Gjr => (VolKind::Gjr, 1),
                    VolName::Tarch => (VolKind::Tarch, 1),
                    VolName::Egarch => (VolKind::Egarch, 0),
                };
                let os = self.o.clone().unwrap_or_else(|| vec![default_o]);
                for &p in &self.p {
                    for &o in &os {
                        for &q in &self.q {
                            if matches!(kind, VolKind::Gjr | VolKind::Tarch) && o == 0 {
                                return Err(format!(
                                    "garch.o: {vol:?} needs o >= 1 (asymmetric lags), got 0"
                                ));
                            }
                            if p == 0 && o == 0 {
                                return Err("garch.p: p = 0 with o = 0 leaves no ARCH term".into());
                            }
                            for dist in &self.dist {
                                let dist = match dist {
                                    DistName::Normal => DistKind::Normal,
                                    DistName::T => DistKind::StudentsT,
                                    DistName::SkewT => DistKind::SkewStudent,
                                    DistName::Ged => DistKind::Ged,
                                };
                                out.push(ModelSpec::Garch(GarchSpec {
                                    mean: mean.0,
                                    vol: kind,
                                    p,
                                    o,
                                    q,
                                    dist,
                                    backcast: Backcast::Ewma,
                                }));
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(json: &str) -> ModelGrid {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn cartesian_product_in_fixed_order() {
        let g = grid(r#"{"garch":{"vol":["garch","gjr","egarch"],"dist":["normal","t"]}}"#);
        let specs = g.expand().unwrap();
        assert_eq!(specs.len(), 6);
        let names: Vec<String> = specs.iter().map(ToString::to_string).collect();
        assert_eq!(names[0], "Constant-GARCH(1,0,1)-normal");
        assert_eq!(names[1], "Constant-GARCH(1,0,1)-t");
        assert_eq!(names[2], "Constant-GJR(1,1,1)-normal");
        assert_eq!(names[5], "Constant-EGARCH(1,0,1)-t");
    }

    #[test]
    fn hash_is_stable_and_distinct() {
        let specs = grid(r#"{"garch":{"p":[1,2],"q":[1,2]}}"#).expand().unwrap();
        let hashes: std::collections::HashSet<String> = specs.iter().map(ModelSpec::hash).collect();
        assert_eq!(hashes.len(), 4);
        let s = ModelSpec::Garch(GarchSpec::default());
        assert_eq!(
            s.canonical_json(),
            r#"{"garch":{"backcast":"ewma","dist":"normal","mean":"constant","o":0,"p":1,"q":1,"vol":"garch"}}"#
        );
        assert_eq!(s.hash(), sha256_hex(&s.canonical_json(), 16));
    }

    #[test]
    fn bad_grids_name_the_field() {
        let e = grid(r#"{"garch":{"vol":["gjr"],"o":[0]}}"#)
            .expand()
            .unwrap_err();
        assert!(e.contains("garch.o"), "{e}");
        let e = grid(r#"{"garch":{"p":[]}}"#).expand().unwrap_err();
        assert!(e.contains("garch.p"), "{e}");
        assert!(serde_json::from_str::<ModelGrid>(r#"{"garch":{"lags":[1]}}"#).is_err());
        assert!(serde_json::from_str::<ModelGrid>(r#"{"garch":{"mean":["ar12"]}}"#).is_err());
        let ar = grid(r#"{"garch":{"mean":["AR2"]}}"#).expand().unwrap();
        assert_eq!(
            ar[0],
            ModelSpec::Garch(GarchSpec {
                mean: MeanSpec::Ar { lags: 2 },
                ..GarchSpec::default()
            })
        );
    }
}
