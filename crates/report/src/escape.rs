//! Escaping of text for HTML and SVG, and number formatting that never prints `NaN`.

/// Escapes `&`, `<`, `>`, `"` and `'` so any text is safe inside an element or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Formats `x` with `decimals` digits; `–` for `NaN` and `±∞` so a table never shows `NaN`.
pub fn fmt_num(x: f64, decimals: usize) -> String {
    if x.is_finite() {
        let s = format!("{x:.decimals$}");
        // avoid "-0.000"
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        "–".to_string()
    }
}

/// A compact label for an axis tick: up to 4 significant digits, scientific beyond 1e5.
pub fn fmt_tick(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let a = x.abs();
    if a == 0.0 {
        "0".to_string()
    } else if !(1e-4..1e5).contains(&a) {
        format!("{x:.1e}")
    } else {
        let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{x:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("plain ü"), "plain ü");
    }

    #[test]
    fn numbers_never_print_nan() {
        assert_eq!(fmt_num(f64::NAN, 3), "–");
        assert_eq!(fmt_num(f64::INFINITY, 3), "–");
        assert_eq!(fmt_num(-0.0001, 3), "0.000");
        assert_eq!(fmt_num(0.12345, 2), "0.12");
        assert_eq!(fmt_tick(0.025), "0.025");
        assert_eq!(fmt_tick(1500.0), "1500");
        assert_eq!(fmt_tick(2e6), "2.0e6");
        assert_eq!(fmt_tick(-0.5), "-0.5");
    }
}
