//! Issue 14 (cost independent of the span): walks that skip whole years
//! answer exactly what the week-by-week walk ([`by_weeks`]) and the naive
//! day-by-day reference answer, over long spans up to the 1583..=9999
//! limits, on random calendars (every holiday rule kind, overrides, DST
//! zones, overnight windows) and with pauses across year ends.

use proptest::prelude::*;

use super::calendar::Calendar;
use super::holiday::{Holiday, HolidayRule};
use super::segment::{Segment, normalize};
use super::tests::{any_calendar, apizee, naive_deadline, naive_elapsed};
use super::timeline::{by_weeks, deadline, elapsed};

/// 1583-01-03T00:00:00Z, just after the first day a walk may start from.
const FIRST: i64 = -12_212_380_800;
/// Seconds in an average Gregorian year.
const YEAR: i64 = 31_556_952;

/// Checks a deadline and its inverse against the week walk: the same
/// answer (or the same error), the same clock start, and
/// `elapsed(o, deadline(o, d)) == d`.
fn check(cal: &Calendar, opened: i64, work: i64, pauses: &[Segment]) -> Result<Option<i64>, TestCaseError> {
    let fast = deadline(cal, opened, work, pauses, false);
    let slow = by_weeks::deadline(cal, opened, work, pauses);
    prop_assert_eq!(&fast, &slow);
    let Ok(d) = fast else { return Ok(None) };
    prop_assert_eq!(elapsed(cal, opened, d.at, pauses, false).map(|e| e.seconds), Ok(work));
    prop_assert_eq!(by_weeks::elapsed(cal, opened, d.at, pauses), Ok(work));
    Ok(Some(d.at))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse::<u32>().ok()).map_or(50, |c| c / 6 + 1), ..ProptestConfig::default() })]

    #[test]
    fn long_walks_match_the_week_walk(
        cal in any_calendar(),
        opened_off in prop_oneof![0i64..(8417 * YEAR), (514 * YEAR)..(520 * YEAR), (8300 * YEAR)..(8417 * YEAR)],
        years in prop_oneof![0i64..3, 0i64..150],
        part in 0i64..(400 * 86_400),
        pauses in proptest::collection::vec((0i64..(3 * YEAR), 0i64..(5 * 86_400)), 0..3),
        to_off in 0i64..(200 * YEAR),
    ) {
        let opened = FIRST + opened_off;
        // A target of whole years of the calendar's business days and a bit.
        let work = years * 260 * cal.business_day().secs() + part;
        let pauses = normalize(pauses.iter().map(|&(s, l)| Segment::new(opened + s, opened + s + l)).collect());
        check(&cal, opened, work, &pauses)?;
        check(&cal, opened, work, &[])?;
        // Any end, not only a deadline.
        let to = (opened + to_off).min(253_402_214_400);
        prop_assert_eq!(elapsed(&cal, opened, to, &pauses, false).map(|e| e.seconds), by_weeks::elapsed(&cal, opened, to, &pauses));
    }
}

/// A random calendar whose years are mostly regular (see
/// [`crate::engine::shapes`]; up to 2100, by shape and offset changes): the rules of `any_calendar` that the shapes
/// accept, and more Easter offsets and fixed dates, to collide often.
fn shaped_calendar() -> impl Strategy<Value = Calendar> {
    (any_calendar(), proptest::collection::vec(-3i32..60, 0..4), proptest::collection::vec((3u32..7, 1u32..29), 0..6))
        .prop_map(|(cal, easter, fixed)| {
            let shaped = |r: &HolidayRule| {
                matches!(r, HolidayRule::Fixed { .. } | HolidayRule::NthWeekday { .. } | HolidayRule::Easter(-80..=248))
            };
            let mut holidays: Vec<Holiday> = cal
                .holidays()
                .iter()
                .filter(|h| match &h.rule {
                    HolidayRule::Years { rule, .. } => shaped(rule),
                    HolidayRule::Dates(_) => true,
                    r => shaped(r),
                })
                .cloned()
                .collect();
            holidays.extend(easter.into_iter().map(|n| Holiday { name: "e".into(), rule: HolidayRule::Easter(n) }));
            holidays.extend(
                fixed
                    .into_iter()
                    .map(|(month, day)| Holiday { name: "f".into(), rule: HolidayRule::Fixed { month, day } }),
            );
            if cal.is_always() {
                return cal;
            }
            Calendar::new(
                "shaped",
                cal.tz(),
                cal.week().clone(),
                holidays,
                cal.overrides().clone(),
                Some(cal.business_day()),
            )
            .and_then(|c| c.with_recurring(cal.recurring().to_vec()))
            .unwrap_or(cal)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse::<u32>().ok()).map_or(50, |c| c / 6 + 1), ..ProptestConfig::default() })]

    #[test]
    fn regular_years_match_the_week_walk(
        cal in shaped_calendar(),
        opened_off in prop_oneof![0i64..(520 * YEAR), (517 * YEAR)..(8417 * YEAR), (8380 * YEAR)..(8417 * YEAR)],
        // Up to centuries: runs of 25 and 400 years (issue 23).
        years in prop_oneof![0i64..120, 0i64..900],
        part in 0i64..(400 * 86_400),
        pauses in proptest::collection::vec((0i64..(60 * YEAR), 0i64..(5 * 86_400)), 0..2),
    ) {
        let opened = FIRST + opened_off;
        let work = years * 260 * cal.business_day().secs() + part;
        let pauses = normalize(pauses.iter().map(|&(s, l)| Segment::new(opened + s, opened + s + l)).collect());
        check(&cal, opened, work, &pauses)?;
        check(&cal, opened, work, &[])?;
    }
}

#[test]
fn the_bench_spans_match_the_week_walk() {
    // The two cold benches of issue 14: a million business days from 2026,
    // and every working second from 1583 to 9999.
    let cal = apizee();
    let opened = 1_795_710_600; // 2026-11-20T17:30:00+01:00
    let work = 1_000_000 * cal.business_day().secs();
    let d = deadline(&cal, opened, work, &[], false).expect("deadline");
    assert_eq!(Ok(&d), by_weeks::deadline(&cal, opened, work, &[]).as_ref());
    // Tracing keeps the week walk: the same answer.
    assert_eq!(deadline(&cal, opened, work, &[], true).expect("deadline").at, d.at);
    assert_eq!(elapsed(&cal, opened, d.at, &[], false).expect("elapsed").seconds, work);
    let (from, to) = (-12_212_553_600, 253_402_214_400); // 1583-01-01, 9999-12-31T00:00Z
    let e = elapsed(&cal, from, to, &[], false).expect("elapsed").seconds;
    assert_eq!(Ok(e), by_weeks::elapsed(&cal, from, to, &[]));
}

#[test]
fn decades_match_the_naive_walk() {
    // A few spans of decades, against the reference that shares no code
    // with the year tables: from 1583, across 2099–2100, and up to 9999.
    let cal = apizee();
    let bd = cal.business_day().secs();
    for (opened, work) in [(FIRST, 2600 * bd), (4_039_372_800, 2600 * bd + 5), (252_800_000_000, 1200 * bd)] {
        let d = deadline(&cal, opened, work, &[], false).expect("deadline").at;
        assert_eq!(d, naive_deadline(&cal, opened, work, &[]));
        assert_eq!(naive_elapsed(&cal, opened, d, &[]), work);
    }
}

#[test]
fn a_deadline_at_a_years_last_working_second_stays_there() {
    // Exactly the work of whole years from a 1 January: the deadline is the
    // end of the last window of the last year, never the next opening.
    let cal = apizee();
    let opened = 4_733_510_400; // 2120-01-01T00:00Z (Wednesday; 00:00 Paris is 23:00Z the day before)
    let to = 4_891_363_200; // 2125-01-01T00:00Z
    let work = elapsed(&cal, opened, to, &[], false).expect("elapsed").seconds;
    let d = deadline(&cal, opened, work, &[], false).expect("deadline").at;
    assert_eq!(Ok(d), by_weeks::deadline(&cal, opened, work, &[]).map(|d| d.at));
    assert!(d <= to && elapsed(&cal, d, to, &[], false).expect("elapsed").seconds == 0);
    assert_eq!(elapsed(&cal, d - 1, d, &[], false).expect("elapsed").seconds, 1);
}
