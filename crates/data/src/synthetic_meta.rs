//! Asset names and the sector → industry → sub-industry taxonomy of the synthetic universe.
//!
//! The taxonomy is drawn once per seed from its own random stream: `sectors` sectors (the 11
//! GICS sector names first, then `Sector 12`, `Sector 13`, …), each with a number of industries
//! drawn uniformly from `industries_per_sector`, each industry with a number of sub-industries
//! drawn uniformly from `subindustries_per_industry`. Industry `j` of sector `S` is named
//! `"S j"`, its sub-industry `k` `"S j.k"` (1-based). Each asset then picks its sector, industry,
//! sub-industry and market uniformly from its own stream, so an asset's metadata does not
//! depend on how many assets the universe has.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use af_core::AssetMeta;

/// The 11 GICS sectors, in GICS code order (10 Energy … 60 Real Estate).
pub const GICS_SECTORS: [&str; 11] = [
    "Energy",
    "Materials",
    "Industrials",
    "Consumer Discretionary",
    "Consumer Staples",
    "Health Care",
    "Financials",
    "Information Technology",
    "Communication Services",
    "Utilities",
    "Real Estate",
];

/// The source documents' default universe, used when a universe has at most five assets and no
/// explicit names.
pub const DEFAULT_TICKERS: [&str; 5] = ["AAPL", "GOOGL", "MSFT", "TSLA", "SPY"];

/// Asset names: the explicit list when given, the first `n` [`DEFAULT_TICKERS`] when `n ≤ 5`,
/// otherwise zero-padded ids `A0001 … An` (at least four digits, more when `n ≥ 10,000`).
pub fn asset_names(n: usize, explicit: Option<&[String]>) -> Vec<String> {
    if let Some(names) = explicit {
        return names.to_vec();
    }
    if n <= DEFAULT_TICKERS.len() {
        return DEFAULT_TICKERS[..n].iter().map(|s| s.to_string()).collect();
    }
    let width = n.to_string().len().max(4);
    (1..=n).map(|i| format!("A{i:0width$}")).collect()
}

/// Sector → industries → number of sub-industries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Taxonomy {
    sectors: Vec<Sector>,
}

#[derive(Debug, Clone, PartialEq)]
struct Sector {
    name: String,
    /// Number of sub-industries of each industry.
    industries: Vec<usize>,
}

/// Draw a uniform integer in `lo..=hi` (`lo ≤ hi` is checked by the config validation).
fn between(rng: &mut ChaCha8Rng, lo: usize, hi: usize) -> usize {
    rng.random_range(lo..=hi.max(lo))
}

impl Taxonomy {
    /// Draw the taxonomy from its stream. Counts must be ≥ 1 (validated by the caller).
    pub(crate) fn draw(
        rng: &mut ChaCha8Rng,
        sectors: usize,
        industries: [usize; 2],
        subindustries: [usize; 2],
    ) -> Self {
        let sectors = (0..sectors)
            .map(|s| {
                let name = GICS_SECTORS
                    .get(s)
                    .map_or_else(|| format!("Sector {}", s + 1), |n| n.to_string());
                let n_ind = between(rng, industries[0], industries[1]);
                let industries = (0..n_ind)
                    .map(|_| between(rng, subindustries[0], subindustries[1]))
                    .collect();
                Sector { name, industries }
            })
            .collect();
        Taxonomy { sectors }
    }

    /// Number of sectors.
    pub(crate) fn n_sectors(&self) -> usize {
        self.sectors.len()
    }

    /// Draw one asset's position in the taxonomy and its market, from the asset's stream; also
    /// returns the index of its sector.
    pub(crate) fn assign(&self, rng: &mut ChaCha8Rng, markets: &[String]) -> (AssetMeta, usize) {
        let mut meta = AssetMeta::default();
        let mut sector = 0;
        if !self.sectors.is_empty() {
            sector = rng.random_range(0..self.sectors.len());
            let s = &self.sectors[sector];
            meta.sector = Some(s.name.clone());
            if !s.industries.is_empty() {
                let j = rng.random_range(0..s.industries.len());
                meta.industry = Some(format!("{} {}", s.name, j + 1));
                let n_sub = s.industries[j];
                if n_sub > 0 {
                    let k = rng.random_range(0..n_sub);
                    meta.subindustry = Some(format!("{} {}.{}", s.name, j + 1, k + 1));
                }
            }
        }
        if !markets.is_empty() {
            meta.market = Some(markets[rng.random_range(0..markets.len())].clone());
        }
        (meta, sector)
    }

    /// Number of sectors, industries and sub-industries.
    #[cfg(test)]
    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        let ind = self.sectors.iter().map(|s| s.industries.len()).sum();
        let sub = self.sectors.iter().flat_map(|s| s.industries.iter()).sum();
        (self.sectors.len(), ind, sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn names_follow_the_documented_rule() {
        assert_eq!(asset_names(3, None), vec!["AAPL", "GOOGL", "MSFT"]);
        assert_eq!(asset_names(6, None)[5], "A0006");
        assert_eq!(asset_names(12_000, None)[0], "A00001");
        let own = vec!["X".to_string()];
        assert_eq!(asset_names(1, Some(&own)), own);
    }

    #[test]
    fn taxonomy_counts_are_within_the_ranges() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let t = Taxonomy::draw(&mut rng, 13, [2, 4], [1, 3]);
        let (s, i, k) = t.counts();
        assert_eq!(s, 13);
        assert!((26..=52).contains(&i), "{i}");
        assert!((i..=3 * i).contains(&k), "{k}");
        assert_eq!(t.sectors[12].name, "Sector 13");
        let (m, s) = t.assign(&mut rng, &["NYSE".to_string()]);
        assert_eq!(t.sectors[s].name, m.sector.clone().unwrap());
        let ind = m.industry.unwrap();
        assert!(ind.starts_with(&m.sector.unwrap()));
        assert!(m.subindustry.unwrap().starts_with(&ind));
        assert_eq!(m.market.as_deref(), Some("NYSE"));
    }
}
