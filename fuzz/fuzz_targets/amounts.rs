//! Durations, targets, amounts, quantities, decimals and windows: every parser
//! of a number a user or a plan types. Whatever parses must print and parse
//! back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slacalc::engine::{Target, Window, format_duration, parse_duration};
use slacalc::plan::QuotaUnit;
use slacalc::plan::validate::parse_decimal;
use slacalc::sla::money::{Money, format_cents};
use slacalc::sla::quota::{format_milli, parse_quantity, to_milli};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(n) = parse_duration(s) {
        assert!(n >= 0);
        assert_eq!(parse_duration(&format_duration(n)), Ok(n), "{s:?}");
    }
    if let Ok(t) = Target::parse(s) {
        assert_eq!(Target::parse(&t.to_string()), Ok(t), "{s:?}");
        let _ = t.seconds(86_400);
    }
    if let Ok(m) = Money::parse(s, "--subscription") {
        assert!(m.cents >= 0);
        assert_eq!(Money::parse(&format_cents(m.cents), "--x").map(|m| m.cents).ok(), Some(m.cents), "{s:?}");
        let _ = m.cents_in("CHF", "--subscription", "the plan");
    }
    for unit in [QuotaUnit::Requests, QuotaUnit::Hours] {
        if let Ok(ticks) = parse_quantity(s, unit, "--used") {
            assert!(ticks >= 0);
            let _ = format_milli(to_milli(ticks, unit));
        }
    }
    for digits in 0..=6 {
        let _ = parse_decimal(s, digits);
    }
    if let Ok(w) = Window::parse(s) {
        assert_eq!(Window::parse(&w.to_string()), Ok(w), "{s:?}");
    }
});
