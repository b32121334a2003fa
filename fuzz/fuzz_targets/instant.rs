//! Instant parsing: arbitrary text through `parse_instant` (and `parse_date`)
//! in a zone chosen by the first byte; whatever parses must print and parse
//! back to the same second, in the zone and in UTC.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slacalc::internal::instant::{Display, format_instant, parse_date, parse_instant};

fuzz_target!(|data: &[u8]| {
    let Some((&z, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let zones = chrono_tz::TZ_VARIANTS;
    let tz = zones[usize::from(z) * 7 % zones.len()];
    let _ = parse_date(s);
    let Ok(t) = parse_instant(s, tz, 1_795_710_600) else { return };
    for d in [Display::Zone(tz), Display::Utc] {
        let printed = format_instant(t, d);
        let back = parse_instant(&printed, tz, 0).unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
        assert_eq!(back, t, "{s:?} → {printed:?}");
    }
});
