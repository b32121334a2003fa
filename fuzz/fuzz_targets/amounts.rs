//! Durations, targets, amounts, quantities, decimals and windows: every parser
//! of a number a user or a plan types. Whatever parses must print and parse
//! back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slacalc::internal::engine::{Target, Window, format_duration, parse_duration};
use slacalc::internal::decimal::{BasisPoints, Cents, Micro, MicroPercent, Milli, Syntax};
use slacalc::internal::plan::QuotaUnit;
use slacalc::internal::sla::money::{Money, format_cents};
use slacalc::internal::sla::quota::{parse_quantity, to_milli};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(n) = parse_duration(s) {
        assert!(n >= 0);
        assert_eq!(parse_duration(&format_duration(n)), Ok(n), "{s:?}");
    }
    if let Ok(t) = Target::parse(s) {
        assert_eq!(Target::parse(&t.to_string()), Ok(t), "{s:?}");
        let _ = t.seconds(slacalc::WorkSpan::new(86_400));
    }
    if let Ok(m) = Money::parse(s, "--subscription") {
        assert!(m.cents >= 0);
        assert_eq!(Money::parse(&format_cents(m.cents), "--x").map(|m| m.cents).ok(), Some(m.cents), "{s:?}");
        let _ = m.cents_in("CHF", "--subscription", "the plan");
    }
    for unit in [QuotaUnit::Requests, QuotaUnit::Hours] {
        if let Ok(ticks) = parse_quantity(s, unit, "--used") {
            assert!(ticks >= 0);
            let _ = to_milli(ticks, unit).to_string();
        }
    }
    let any = Syntax { negative: true, grouped: true, bare_int: true, bare_frac: true, max_digits: 15 };
    if let Ok(d) = Cents::parse(s, any) {
        assert_eq!(Cents::parse(&d.to_string(), any), Ok(d), "{s:?}");
    }
    if let Ok(d) = BasisPoints::parse(s, any) {
        assert_eq!(BasisPoints::parse(&d.to_string(), any), Ok(d), "{s:?}");
    }
    if let Ok(d) = MicroPercent::parse(s, any) {
        assert_eq!(MicroPercent::parse(&d.to_string(), any), Ok(d), "{s:?}");
    }
    let _ = (Milli::parse(s, any), Micro::parse(s, any));
    if let Ok(w) = Window::parse(s) {
        assert_eq!(Window::parse(&w.to_string()), Ok(w), "{s:?}");
    }
});
