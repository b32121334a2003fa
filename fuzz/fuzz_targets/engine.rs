//! The working-hours engine on a random calendar (zone, weekly windows,
//! holidays, overrides, business day), instant, target and pauses: `deadline`
//! and `elapsed` must not panic or hang, and must stay inverses:
//! `elapsed(o, deadline(o, d)) == d`, and one second earlier is `d - 1`.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use chrono::{Datelike, NaiveDate, Weekday};
use libfuzzer_sys::fuzz_target;
use slacalc::internal::engine::{self, Calendar, Holiday, HolidayRule, Segment, Window, segment::normalize};

#[derive(Debug, Arbitrary)]
enum Rule {
    Fixed(u8, u8),
    Easter(i16),
    Date(u16),
    Nth(u8, u8, i8),
}

#[derive(Debug, Arbitrary)]
struct Input {
    zone: u16,
    always: bool,
    /// Per weekday: window boundaries in minutes (sorted and paired here).
    week: [Vec<u16>; 7],
    holidays: Vec<Rule>,
    overrides: Vec<(u16, Vec<u16>)>,
    business_day: Option<u32>,
    far: bool,
    opened: u64,
    work: u64,
    pauses: Vec<(u32, u32)>,
    explain: bool,
}

/// 2026-01-01T00:00:00Z, and the supported range of instants.
const BASE: i64 = 1_767_225_600;
const MIN_T: i64 = -12_212_553_600;
const MAX_T: i64 = 253_402_300_799;

fn windows(bounds: &[u16]) -> Vec<Window> {
    let mut b: Vec<u32> = bounds.iter().take(8).map(|m| u32::from(*m) % 1441 * 60).collect();
    b.sort_unstable();
    b.dedup();
    b.chunks_exact(2).map(|p| Window { start: p[0], end: p[1] }).filter(|w| w.start < 86_400).collect()
}

fn date_from(days: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(days) % 4000)
}

fn rule(r: &Rule) -> Option<HolidayRule> {
    Some(match *r {
        Rule::Fixed(m, d) => {
            let (month, day) = (u32::from(m % 12) + 1, u32::from(d % 31) + 1);
            NaiveDate::from_ymd_opt(2000, month, day)?;
            HolidayRule::Fixed { month, day }
        }
        Rule::Easter(o) => HolidayRule::Easter(i32::from(o % 201)),
        Rule::Date(d) => HolidayRule::Date(date_from(d)),
        Rule::Nth(m, w, n) => HolidayRule::NthWeekday {
            month: u32::from(m % 12) + 1,
            weekday: Weekday::try_from(w % 7).ok()?,
            nth: if n < 0 { -1 } else { (n % 5) + 1 },
        },
    })
}

fn calendar(i: &Input) -> Option<Calendar> {
    if i.always {
        return Some(Calendar::always());
    }
    let zones = chrono_tz::TZ_VARIANTS;
    let tz = zones[usize::from(i.zone) % zones.len()];
    let week: [Vec<Window>; 7] = std::array::from_fn(|d| windows(&i.week[d]));
    let holidays: Vec<Holiday> = i
        .holidays
        .iter()
        .take(12)
        .filter_map(rule)
        .enumerate()
        .map(|(n, rule)| Holiday { name: format!("h{n}"), rule })
        .collect();
    let overrides: BTreeMap<NaiveDate, Vec<Window>> =
        i.overrides.iter().take(8).map(|(d, w)| (date_from(*d), windows(w))).collect();
    let bd = i.business_day.map(|b| slacalc::WorkSpan::new(i64::from(b % 86_400) + 1));
    Calendar::new("fuzz", tz, week, holidays, overrides, bd).ok()
}

fuzz_target!(|i: Input| {
    let Some(cal) = calendar(&i) else { return };
    let opened = if i.far {
        MIN_T + (i.opened % (MAX_T - MIN_T) as u64) as i64
    } else {
        BASE + (i.opened % (40 * 366 * 86_400)) as i64
    };
    let work = (i.work % (10_000 * cal.business_day().secs() as u64 + 1)) as i64;
    let pauses = normalize(
        i.pauses
            .iter()
            .take(4)
            .map(|&(a, l)| {
                let s = opened + i64::from(a % (60 * 86_400)) - 86_400;
                Segment::new(s, s + i64::from(l % (20 * 86_400)))
            })
            .collect(),
    );
    let _ = engine::clock_start(&cal, opened);
    let Ok(d) = engine::deadline(&cal, opened, work, &pauses, i.explain) else { return };
    assert!(d.at >= opened);
    let e = engine::elapsed(&cal, opened, d.at, &pauses, i.explain).expect("elapsed up to a found deadline");
    assert_eq!(e.seconds, work, "elapsed(o, deadline(o, d)) != d; deadline {}", d.at);
    if work > 0 {
        let before = engine::elapsed(&cal, opened, d.at - 1, &pauses, false).expect("elapsed");
        assert_eq!(before.seconds, work - 1, "deadline {} is not the earliest instant", d.at);
    }
    if let Some(date) = cal.local_date(slacalc::Timestamp::from_secs(opened)) {
        let _ = date.year();
    }
});
