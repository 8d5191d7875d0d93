//! Numbers as people read them: a value rounded to 12 significant digits, then written in its
//! shortest form, so that a sum such as 0.1 + 0.2 reads `0.3` (not `0.30000000000000004`) and a
//! total of 0.9 reads `0.9` (not `0.900`).

/// `x` rounded to 12 significant digits, in the shortest decimal form that reads back as that
/// rounded value (`0.30000000000000004` → `0.3`, `0.8` → `0.8`, `1e-20` → `0.00000000000000000001`).
/// Non-finite values are written as Rust writes them (`NaN`, `inf`).
pub fn shortest(x: f64) -> String {
    format!("{}", rounded(x))
}

/// `x` rounded to 12 significant digits (the nearest `f64` to that decimal); non-finite values
/// and 0 unchanged.
pub fn rounded(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// `x` snapped to the short decimal it is arithmetic noise around: [`rounded`] when that has at
/// most 10 significant digits and lies within 8 units in the last place of `x`
/// (`0.5000000000000001` → `0.5`, `1.9999999999999998` → `2`), else `x` unchanged
/// (`0.6147272785428062` and `2.1573288439955105` keep every digit). For outputs: a value that is
/// not noisy is written exactly as before.
pub fn tidy(x: f64) -> f64 {
    let r = rounded(x);
    let digits = format!("{r:e}")
        .split('e')
        .next()
        .map_or(0, |m| m.chars().filter(char::is_ascii_digit).count());
    if digits <= 10 && (x - r).abs() <= 8.0 * f64::EPSILON * r.abs() {
        r
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_read_as_written() {
        assert_eq!(shortest(0.1 + 0.2), "0.3");
        assert_eq!(shortest(0.5 + 1e-16), "0.5");
        assert_eq!(shortest(0.7 + 0.1 + 0.1), "0.9");
        assert_eq!(shortest(0.8), "0.8");
        assert_eq!(shortest(1.0), "1");
        assert_eq!(shortest(0.9999), "0.9999");
        assert_eq!(shortest(-2.5), "-2.5");
        assert_eq!(shortest(1.0000005), "1.0000005");
        assert_eq!(shortest(123456.7890123456), "123456.789012");
        assert!(rounded(f64::NAN).is_nan());
    }

    #[test]
    fn only_noise_is_tidied() {
        assert_eq!(tidy(0.5000000000000001), 0.5);
        assert_eq!(tidy(1.9999999999999998), 2.0);
        assert_eq!(tidy(0.19999999999999998), 0.2);
        assert_eq!(tidy(0.6147272785428062), 0.6147272785428062);
        assert_eq!(tidy(2.1573288439955105), 2.1573288439955105);
        assert_eq!(tidy(0.050354100589963736), 0.050354100589963736);
        assert_eq!(tidy(1.0 / 3.0), 1.0 / 3.0);
        assert_eq!(tidy(0.0), 0.0);
    }
}
