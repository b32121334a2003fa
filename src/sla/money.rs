//! Amounts of money as users type them (`12500`, `12500.50`, `CHF12500`,
//! `CHF 12'500`, `12500 CHF`), held as integer cents, and the one rounding
//! rule credits use (half up, to the cent: [`Cents::mul_div_round`]).

use crate::decimal::{Cents, ParseError, Syntax};
use crate::error::{Error, Result};

/// The largest amount accepted: 10^13 currency units (and cents below the
/// next unit), far from any `i64`
/// overflow once multiplied by days or basis points in `i128`.
const MAX_UNITS: i64 = 10_000_000_000_000;

/// How amounts are written: no sign, `'` between groups of three digits, a
/// point only with one or two decimals after it, at most 14 digits before it.
const AMOUNT: Syntax = Syntax { negative: false, grouped: true, bare_int: false, bare_frac: false, max_digits: 14 };

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
    /// [`Error::Invalid`] naming the value: negative, malformed, too many
    /// decimals, too large.
    ///
    /// # Example
    /// ```
    /// use slacalc::internal::sla::money::Money;
    /// let m = Money::parse("CHF 12'500.50", "--subscription").unwrap();
    /// assert_eq!((m.cents, m.currency.as_deref()), (1_250_050, Some("CHF")));
    /// ```
    pub fn parse(s: &str, flag: &str) -> Result<Money> {
        let bad = |why: &'static str| Error::Invalid {
            what: flag.to_string().into(),
            value: s.to_string(),
            problem: (!why.is_empty()).then_some(why.into()),
            expected: "an amount such as 12500, 12500.50, CHF12500 or \"CHF 12500\"".into(),
        };
        let t = s.trim();
        if t.contains('-') {
            return Err(bad("amounts must not be negative"));
        }
        let lead = t.bytes().take_while(u8::is_ascii_alphabetic).count();
        let trail = t.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
        let (currency, number) = match (lead, trail) {
            (0, 0) => (None, t),
            (3, 0) => (Some(&t[..3]), &t[3..]),
            (0, 3) => (Some(&t[t.len() - 3..]), &t[..t.len() - 3]),
            _ => return Err(bad("a currency is a three-letter code such as CHF, before or after the number")),
        };
        let cents = Cents::parse(number.trim(), AMOUNT).map_err(|e| match e {
            ParseError::Decimals => bad("give at most two decimals (cents)"),
            ParseError::Malformed => bad(""),
            ParseError::TooLarge => bad("too large"),
        })?;
        if cents >= Cents::from_int(MAX_UNITS + 1) {
            return Err(bad("too large"));
        }
        Ok(Money { cents: cents.raw(), currency: currency.map(str::to_ascii_uppercase) })
    }

    /// The cents, after checking a typed currency against `expected`.
    ///
    /// # Errors
    /// [`Error::Input`] when the currencies differ; `what` names whose
    /// currency `expected` is (e.g. `plan acme-gold's quota`).
    pub fn cents_in(&self, expected: &str, flag: &str, what: &str) -> Result<Cents> {
        let cents = Cents::from_raw(self.cents);
        match &self.currency {
            Some(c) if c != expected => Err(Error::Input(format!(
                "{flag} is in {c} but {what} is in {expected}: give the amount in {expected} (e.g. \"{expected} {cents}\")"
            ))),
            _ => Ok(cents),
        }
    }
}

/// Prints cents as `68.49` (`-1.05` when negative): [`Cents`]' own print,
/// for callers holding a raw count (the property tests, the fuzz target).
pub fn format_cents(cents: i64) -> String {
    Cents::from_raw(cents).to_string()
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
        assert_eq!(p("CHF 5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap().raw(), 500);
        assert_eq!(p("5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap().raw(), 500);
        let e = p("EUR 5").unwrap().cents_in("CHF", "--subscription", "the plan").unwrap_err().to_string();
        assert!(e.contains("EUR") && e.contains("CHF"), "{e}");
    }
}
