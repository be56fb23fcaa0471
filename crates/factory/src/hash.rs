//! Stable hashes: SHA-256 of canonical JSON (object keys sorted at every level, no whitespace).
//! The same spec gives the same hash on any machine, build or field order.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Canonical JSON of `value`: keys sorted recursively, compact.
pub fn canonical_json<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let v = serde_json::to_value(value)?;
    let mut out = String::new();
    write_canonical(&v, &mut out);
    Ok(out)
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(x) = map.get(*k) {
                    write_canonical(x, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Hex SHA-256 of `text`, truncated to `hex_len` characters (at most 64).
pub fn sha256_hex(text: &str, hex_len: usize) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s.truncate(hex_len.min(64));
    s
}

/// A 64-bit seed derived from the run seed and the parts that identify a task
/// (first 8 bytes of SHA-256 over the run seed and each part, length-prefixed).
pub fn derive_seed(run_seed: u64, parts: &[&str]) -> u64 {
    let mut h = Sha256::new();
    h.update(run_seed.to_le_bytes());
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_le_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_recursively() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[1,{"z":1,"y":2}],"c":"x"}}"#).unwrap();
        assert_eq!(
            canonical_json(&a).unwrap(),
            r#"{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn sha256_matches_published_vector() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            sha256_hex("abc", 64),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sha256_hex("abc", 16).len(), 16);
    }

    #[test]
    fn seeds_depend_on_every_part() {
        let s = derive_seed(42, &["AAPL", "abc"]);
        assert_eq!(s, derive_seed(42, &["AAPL", "abc"]));
        assert_ne!(s, derive_seed(43, &["AAPL", "abc"]));
        assert_ne!(s, derive_seed(42, &["AAPL", "abd"]));
        assert_ne!(derive_seed(1, &["ab", "c"]), derive_seed(1, &["a", "bc"]));
    }
}
