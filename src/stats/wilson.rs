//! Wilson score interval for a binomial proportion (Wilson 1927, JASA 22(158)).

/// The 95% Wilson interval `(low, high)` for `k` successes in `n` trials; `(0, 1)` when `n = 0`.
/// `z = 1.959964` (two-sided 95%).
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    // the interval's ends are exactly 0 and 1 at k = 0 and k = n
    let lo = if k == 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if k == n { 1.0 } else { (centre + half).min(1.0) };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::wilson;

    #[test]
    fn matches_a_textbook_value() {
        // 81 of 263: (0.2553, 0.3662) (Newcombe 1998, Stat. Med. 17, example)
        let (lo, hi) = wilson(81, 263);
        assert!((lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4, "{lo} {hi}");
    }

    #[test]
    fn degenerate_counts_stay_in_the_unit_interval() {
        assert_eq!(wilson(0, 0), (0.0, 1.0));
        let (lo, hi) = wilson(0, 100);
        assert!(lo == 0.0 && hi > 0.0 && hi < 0.05);
        let (lo, hi) = wilson(100, 100);
        assert!(hi == 1.0 && lo > 0.95);
    }
}
