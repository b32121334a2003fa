//! Amounts of money as users type them (`12500`, `12500.50`, `CHF12500`,
//! `CHF 12'500`, `12500 CHF`), held as integer cents, and the one rounding
//! rule credits use (half up, to the cent).

use crate::error::{Error, Result};

/// The largest amount accepted: 10^13 currency units, far from any `i64`
/// overflow once multiplied by days or basis points in `i128`.
const MAX_UNITS: i64 = 10_000_000_000_000;

/// An amount typed on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// Whole cents, never negative.
    pub cents: i64,
    /// ISO code when one was typed (uppercased).
    pub currency: Option<String>,
}

impl Money {
    /// Parses an amount: digits with an optional decimal point and at most two
    /// decimals, `'` allowed between groups of three digits (`12'500`), and an
    /// optional three-letter currency code before or after (`CHF12500`,
    /// `CHF 12500`, `12500 chf`). `flag` names the option in errors.
    ///
    /// # Errors
    /// [`Error::Input`] naming the value: negative, malformed, too many
    /// decimals, too large.
    ///
    /// # Example
    /// ```
    /// use slacalc::sla::money::Money;
    /// let m = Money::parse("CHF 12'500.50", "--subscription").unwrap();
    /// assert_eq!((m.cents, m.currency.as_deref()), (1_250_050, Some("CHF")));
    /// ```
    pub fn parse(s: &str, flag: &str) -> Result<Money> {
        let bad = |why: &str| {
            Error::Input(format!(
                "invalid {flag} \"{s}\"{why} (expected an amount such as 12500, 12500.50, CHF12500 or \"CHF 12500\")"
            ))
        };
        let t = s.trim();
        if t.contains('-') {
            return Err(bad(": amounts must not be negative"));
        }
        let lead = t.bytes().take_while(u8::is_ascii_alphabetic).count();
        let trail = t.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
        let (currency, number) = match (lead, trail) {
            (0, 0) => (None, t),
            (3, 0) => (Some(&t[..3]), &t[3..]),
            (0, 3) => (Some(&t[t.len() - 3..]), &t[..t.len() - 3]),
            _ => return Err(bad(": a currency is a three-letter code such as CHF, before or after the number")),
        };
        let number = number.trim();
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        if number.contains('.') && (frac.is_empty() || frac.len() > 2) {
            return Err(bad(": give at most two decimals (cents)"));
        }
        let digits = grouped_digits(int).ok_or_else(|| bad(""))?;
        if digits.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 14 {
            return Err(bad(""));
        }
        let units: i64 = digits.parse().map_err(|_| bad(""))?;
        if units > MAX_UNITS {
            return Err(bad(": too large"));
        }
        let cents_part: i64 = if frac.is_empty() { 0 } else { frac.parse::<i64>().map_err(|_| bad(""))? };
        let cents_part = if frac.len() == 1 { cents_part * 10 } else { cents_part };
        Ok(Money { cents: units * 100 + cents_part, currency: currency.map(str::to_ascii_uppercase) })
    }

    /// The cents, after checking a typed currency against `expected`.
    ///
    /// # Errors
    /// [`Error::Input`] when the currencies differ; `what` names whose
    /// currency `expected` is (e.g. `plan acme-gold's quota`).
    pub fn cents_in(&self, expected: &str, flag: &str, what: &str) -> Result<i64> {
        match &self.currency {
            Some(c) if c != expected => Err(Error::Input(format!(
                "{flag} is in {c} but {what} is in {expected}: give the amount in {expected} (e.g. \"{expected} {}\")",
                format_cents(self.cents)
            ))),
            _ => Ok(self.cents),
        }
    }
}

/// `12'500` → `12500`; `None` when the apostrophes do not separate groups of
/// three digits or anything else than digits is there.
fn grouped_digits(s: &str) -> Option<String> {
    let s = s.trim();
    if !s.contains(['\'', '’']) {
        return s.bytes().all(|b| b.is_ascii_digit()).then(|| s.to_string());
    }
    let groups: Vec<&str> = s.split(['\'', '’']).collect();
    let (head, rest) = groups.split_first()?;
    let ok = (1..=3).contains(&head.len())
        && rest.iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| groups.concat())
}

/// Prints cents as `68.49` (`-1.05` when negative).
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Prints cents as `1000` when whole, else as [`format_cents`] does.
pub fn format_amount(cents: i64) -> String {
    if cents % 100 == 0 { (cents / 100).to_string() } else { format_cents(cents) }
}

/// `a × b / d` rounded half up (away from zero for the half), computed exactly
/// in `i128`. `a`, `b` ≥ 0 and `d` > 0 in every caller. `None` when the
/// answer does not fit: an amount is never saturated into a false figure.
pub fn mul_div_round(a: i64, b: i64, d: i64) -> Option<i64> {
    if d == 0 {
        return Some(0);
    }
    let n = i128::from(a).checked_mul(i128::from(b))?;
    let d = i128::from(d);
    let q = n.checked_mul(2)?.checked_add(d)?.div_euclid(2 * d);
    i64::try_from(q).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Money> {
        Money::parse(s, "--subscription")
    }

    #[test]
    fn accepted_forms() {
        let chf = Some("CHF".to_string());
        assert_eq!(p("12500").unwrap(), Money { cents: 1_250_000, currency: None });
        assert_eq!(p("12500.5").unwrap().cents, 1_250_050);
        assert_eq!(p("12500.50").unwrap().cents, 1_250_050);
        assert_eq!(p("CHF12500").unwrap(), Money { cents: 1_250_000, currency: chf.clone() });
        assert_eq!(p("CHF 12500").unwrap().currency, chf);
        assert_eq!(p("12500 chf").unwrap().currency, chf);
        assert_eq!(p("12'500").unwrap().cents, 1_250_000);
        assert_eq!(p("1'234'567.89").unwrap().cents, 123_456_789);
        assert_eq!(p("0").unwrap().cents, 0);
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "-5",
            "CHF -5",
            "12,500",
            "12.345",
            "12.",
            "abc",
            "CH 5",
            "CHFF 5",
            "1'23",
            "12'5000",
            "1e5",
            "CHF",
            "CHF 5 EUR",
            "99999999999999999",
            "12 500",
        ] {
            assert!(p(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(p("-5").unwrap_err().to_string().contains("negative"));
    }

    #[test]
    fn currency_check() {
        assert_eq!(p("CHF 5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap(), 500);
        assert_eq!(p("5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap(), 500);
        let e = p("EUR 5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap_err().to_string();
        assert!(e.contains("EUR") && e.contains("CHF"), "{e}");
    }

    #[test]
    fn rounding_half_up_to_the_cent() {
        // 2 days of CHF 12,500 a year: 25,000 / 365 = 68.4931… → 68.49.
        assert_eq!(mul_div_round(2, 1_250_000, 365), Some(6849));
        assert_eq!(mul_div_round(1, 5, 2), Some(3)); // 2.5 → 3
        assert_eq!(mul_div_round(1, 7, 2), Some(4)); // 3.5 → 4
        assert_eq!(mul_div_round(1, 9, 4), Some(2)); // 2.25 → 2
        assert_eq!(format_cents(6849), "68.49");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(-105), "-1.05");
    }
}
