//! Engine tests that follow the boundaries (before, at the start, inside, at
//! the end of a window), holidays, DST days and pauses, with hand-checked
//! answers; then properties against a naive day-by-day reference walk.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use chrono_tz::Europe::{Paris, Zurich};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::calendar::Calendar;
use super::day::{Timestamp, WorkSpan};
use super::holiday::{Holiday, HolidayRule, Observance, ObservedSet};
use super::segment::{Segment, normalize, subtract_each};
use super::timeline::{clock_start, deadline, elapsed};
use super::window::Window;
use super::zone;

const H: i64 = 3600;

fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    tz.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("unambiguous test time").timestamp()
}

pub(super) fn w(s: &str) -> Window {
    Window::parse(s).expect("test window")
}

pub(super) fn french_holidays() -> Vec<Holiday> {
    let fixed = |name: &str, month, day| Holiday { name: name.into(), rule: HolidayRule::Fixed { month, day } };
    let easter = |name: &str, n| Holiday { name: name.into(), rule: HolidayRule::Easter(n) };
    vec![
        fixed("New Year", 1, 1),
        easter("Easter Monday", 1),
        fixed("Labour Day", 5, 1),
        fixed("Victory 1945", 5, 8),
        easter("Ascension", 39),
        easter("Whit Monday", 50),
        fixed("Bastille Day", 7, 14),
        fixed("Assumption", 8, 15),
        fixed("All Saints", 11, 1),
        fixed("Armistice", 11, 11),
        fixed("Christmas", 12, 25),
    ]
}

fn weekdays(windows: &[&str]) -> [Vec<Window>; 7] {
    let day: Vec<Window> = windows.iter().map(|s| w(s)).collect();
    std::array::from_fn(|i| if i < 5 { day.clone() } else { vec![] })
}

/// Apizee: Paris, Mon–Fri 09–12 and 14–18, French holidays.
pub(super) fn apizee() -> Calendar {
    Calendar::new("apizee", Paris, weekdays(&["09:00-12:00", "14:00-18:00"]), french_holidays(), BTreeMap::new(), None)
        .expect("apizee calendar")
}

/// Cirrus: Paris, Mon–Fri 09–18, French holidays.
fn cirrus() -> Calendar {
    Calendar::new("cirrus", Paris, weekdays(&["09:00-18:00"]), french_holidays(), BTreeMap::new(), None)
        .expect("cirrus calendar")
}

/// Biings: Zurich, Mon–Fri 08–17, no holidays.
fn biings() -> Calendar {
    Calendar::new("biings", Zurich, weekdays(&["08:00-17:00"]), vec![], BTreeMap::new(), None).expect("biings calendar")
}

fn due(cal: &Calendar, opened: i64, work: i64) -> i64 {
    deadline(cal, opened, work, &[], false).expect("deadline").at
}

#[test]
fn friday_evening_ticket_runs_over_weekend_and_lunch() {
    let cal = apizee();
    // 30 min on Friday, 3 h Monday morning, 30 min after lunch.
    assert_eq!(due(&cal, at(Paris, 2026, 11, 20, 17, 30), 4 * H), at(Paris, 2026, 11, 23, 14, 30));
}

#[test]
fn ticket_opened_after_hours_starts_next_opening() {
    let cal = apizee();
    let opened = at(Paris, 2026, 11, 20, 18, 30);
    assert_eq!(clock_start(&cal, opened), Ok(at(Paris, 2026, 11, 23, 9, 0)));
    assert_eq!(due(&cal, opened, 4 * H), at(Paris, 2026, 11, 23, 15, 0));
}

#[test]
fn clock_start_at_window_end_is_next_opening() {
    let cal = apizee();
    assert_eq!(clock_start(&cal, at(Paris, 2026, 11, 20, 12, 0)), Ok(at(Paris, 2026, 11, 20, 14, 0)));
    assert_eq!(clock_start(&cal, at(Paris, 2026, 11, 20, 18, 0)), Ok(at(Paris, 2026, 11, 23, 9, 0)));
    assert_eq!(clock_start(&cal, at(Paris, 2026, 11, 20, 11, 59)), Ok(at(Paris, 2026, 11, 20, 11, 59)));
    assert_eq!(clock_start(&cal, at(Paris, 2026, 11, 20, 9, 0)), Ok(at(Paris, 2026, 11, 20, 9, 0)));
}

#[test]
fn lunch_gap_is_skipped() {
    assert_eq!(due(&apizee(), at(Paris, 2026, 11, 18, 11, 30), H), at(Paris, 2026, 11, 18, 14, 30));
}

#[test]
fn deadline_at_interval_end_stays_there() {
    let cal = apizee();
    assert_eq!(due(&cal, at(Paris, 2026, 11, 20, 14, 0), 4 * H), at(Paris, 2026, 11, 20, 18, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 20, 9, 0), 3 * H), at(Paris, 2026, 11, 20, 12, 0));
    // A whole week used up exactly ends on Friday 18:00, not Monday 09:00.
    assert_eq!(due(&cal, at(Paris, 2026, 11, 23, 9, 0), 35 * H), at(Paris, 2026, 11, 27, 18, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 23, 9, 0), 35 * H + 1), at(Paris, 2026, 11, 30, 9, 0) + 1);
}

#[test]
fn whole_weeks_used_up_exactly_end_on_friday_evening() {
    // Opened on a Sunday, so the walk may jump whole weeks: a target of
    // exactly one or two working weeks still ends on Friday 18:00.
    let cal = apizee();
    let sunday = at(Paris, 2026, 11, 22, 12, 0);
    assert_eq!(due(&cal, sunday, 35 * H), at(Paris, 2026, 11, 27, 18, 0));
    assert_eq!(due(&cal, sunday, 70 * H), at(Paris, 2026, 12, 4, 18, 0));
    assert_eq!(due(&cal, sunday, 70 * H + 1), at(Paris, 2026, 12, 7, 9, 0) + 1);
    let e = |to| elapsed(&cal, sunday, to, &[], false).expect("elapsed").seconds;
    assert_eq!(e(at(Paris, 2026, 12, 4, 18, 0)), 70 * H);
    assert_eq!(e(at(Paris, 2026, 12, 7, 0, 0)), 70 * H);
    assert_eq!(e(at(Paris, 2026, 12, 4, 17, 59)), 70 * H - 60);
}

#[test]
fn zero_target_answers_opened() {
    let sat = at(Paris, 2026, 11, 21, 10, 0);
    assert_eq!(due(&apizee(), sat, 0), sat);
}

#[test]
fn day_before_bastille_day() {
    // Mon 13 July 17:00: 1 h; 14 July holiday; 15 July 7 h → 18:00.
    assert_eq!(due(&apizee(), at(Paris, 2026, 7, 13, 17, 0), 8 * H), at(Paris, 2026, 7, 15, 18, 0));
}

#[test]
fn easter_ascension_and_whit_monday_2027_are_skipped() {
    let cal = apizee();
    // Easter Monday 2027-03-29.
    assert_eq!(due(&cal, at(Paris, 2027, 3, 26, 17, 0), 2 * H), at(Paris, 2027, 3, 30, 10, 0));
    // Ascension Thursday 2027-05-06.
    assert_eq!(due(&cal, at(Paris, 2027, 5, 5, 17, 0), 2 * H), at(Paris, 2027, 5, 7, 10, 0));
    // Whit Monday 2027-05-17.
    assert_eq!(due(&cal, at(Paris, 2027, 5, 14, 17, 0), 2 * H), at(Paris, 2027, 5, 18, 10, 0));
}

#[test]
fn dst_weekends_in_paris() {
    let cal = apizee();
    // SPEC §2: Fri 2026-03-27 17:30 CET → Mon 2026-03-30 14:30 CEST (12:30Z).
    let d = due(&cal, at(chrono_tz::UTC, 2026, 3, 27, 16, 30), 4 * H);
    assert_eq!(d, at(chrono_tz::UTC, 2026, 3, 30, 12, 30));
    // October: Fri 17:30 CEST → Mon 14:30 CET (13:30Z).
    let d = due(&cal, at(Paris, 2026, 10, 23, 17, 30), 4 * H);
    assert_eq!(d, at(chrono_tz::UTC, 2026, 10, 26, 13, 30));
    // Working time measured across the change is still 4 h.
    let e = elapsed(&cal, at(Paris, 2026, 10, 23, 17, 30), d, &[], false).expect("elapsed");
    assert_eq!(e.seconds, 4 * H);
}

#[test]
fn dst_weekends_in_zurich() {
    let cal = biings();
    // Fri 2026-03-27 16:30 CET + 4 h: 30 min Friday, Mon 08:00–11:30 CEST.
    assert_eq!(due(&cal, at(Zurich, 2026, 3, 27, 16, 30), 4 * H), at(chrono_tz::UTC, 2026, 3, 30, 9, 30));
    // Fri 2026-10-23 16:30 CEST + 9 h (1 bd): Mon 08:00–16:30 CET.
    assert_eq!(due(&cal, at(Zurich, 2026, 10, 23, 16, 30), 9 * H), at(chrono_tz::UTC, 2026, 10, 26, 15, 30));
}

#[test]
fn always_counts_real_hours_across_dst() {
    let cal = Calendar::always();
    // SPEC §2: 2026-03-29T01:30+01:00 + 2 h → 04:30+02:00 (02:30Z).
    assert_eq!(due(&cal, at(chrono_tz::UTC, 2026, 3, 29, 0, 30), 2 * H), at(chrono_tz::UTC, 2026, 3, 29, 2, 30));
    // Fall back: 2026-10-25T01:30+02:00 (23:30Z) + 2 h → 02:30+01:00 (01:30Z).
    assert_eq!(due(&cal, at(chrono_tz::UTC, 2026, 10, 24, 23, 30), 2 * H), at(chrono_tz::UTC, 2026, 10, 25, 1, 30));
}

#[test]
fn wall_clock_window_over_the_change_is_two_or_four_hours() {
    // SPEC §2: durations are real seconds. Spring forward (2026-03-29,
    // 02:00 → 03:00): 01:00–02:00 and 03:00–04:00 happen, 2 h. Fall back
    // (2026-10-25, 03:00 → 02:00): 01:00 CEST (23:00Z) to 04:00 CET (03:00Z),
    // 02:00–03:00 happening twice and worked twice, 4 h. A normal day: 3 h.
    let week: [Vec<Window>; 7] = std::array::from_fn(|_| vec![w("01:00-04:00")]);
    let cal = Calendar::new("night", Paris, week, vec![], BTreeMap::new(), None).expect("calendar");
    let day = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let next = date.succ_opt().expect("date");
        elapsed(&cal, cal.midnight(date), cal.midnight(next), &[], false).expect("elapsed").seconds
    };
    assert_eq!(day(2026, 3, 29), 2 * H);
    assert_eq!(day(2026, 10, 25), 4 * H);
    assert_eq!(day(2026, 11, 25), 3 * H);
    // The deadline walks the repeated hour: opened 01:30 CEST (23:30Z on the
    // 24th) + 3 h = 02:30Z = 03:30 CET, where the wall clock shows 2 h later.
    let opened = at(chrono_tz::UTC, 2026, 10, 24, 23, 30);
    assert_eq!(due(&cal, opened, 3 * H), at(chrono_tz::UTC, 2026, 10, 25, 2, 30));
    // Same rule after 2099: Sun 2150-10-25 (last Sunday of October) is 4 h.
    assert_eq!(day(2150, 10, 25), 4 * H);
    assert_eq!(day(2150, 3, 29), 2 * H);
}

#[test]
fn whole_day_window_is_23_or_25_hours_on_change_days() {
    // `00:00-24:00`: midnight to midnight in real seconds.
    let week: [Vec<Window>; 7] = std::array::from_fn(|_| vec![w("00:00-24:00")]);
    let cal = Calendar::new("all-day", Paris, week, vec![], BTreeMap::new(), None).expect("calendar");
    let day = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let next = date.succ_opt().expect("date");
        elapsed(&cal, cal.midnight(date), cal.midnight(next), &[], false).expect("elapsed").seconds
    };
    assert_eq!(day(2026, 3, 29), 23 * H);
    assert_eq!(day(2026, 10, 25), 25 * H);
    assert_eq!(day(2026, 10, 26), 24 * H);
    // The week of the fall-back day (Mon 19 – Sun 25 October 2026) is one
    // hour longer than 7 × 24 h, and the week table agrees with the days.
    let mon = at(Paris, 2026, 10, 19, 0, 0);
    let next_mon = at(Paris, 2026, 10, 26, 0, 0);
    assert_eq!(elapsed(&cal, mon, next_mon, &[], false).expect("elapsed").seconds, 7 * 24 * H + H);
    assert_eq!(due(&cal, at(Paris, 2026, 10, 18, 12, 0), 12 * H + 7 * 24 * H + H), next_mon);
}

#[test]
fn pauses_inside_and_outside_working_time() {
    let cal = apizee();
    let opened = at(Paris, 2026, 11, 23, 9, 0);
    let pause = normalize(vec![Segment::new(at(Paris, 2026, 11, 23, 10, 0), at(Paris, 2026, 11, 23, 11, 0))]);
    // 09–10, paused 10–11, 11–12, 14–16.
    assert_eq!(deadline(&cal, opened, 4 * H, &pause, false).map(|d| d.at), Ok(at(Paris, 2026, 11, 23, 16, 0)));
    let weekend = normalize(vec![Segment::new(at(Paris, 2026, 11, 21, 8, 0), at(Paris, 2026, 11, 22, 20, 0))]);
    let fri = at(Paris, 2026, 11, 20, 17, 30);
    assert_eq!(deadline(&cal, fri, 4 * H, &weekend, false).map(|d| d.at), Ok(due(&cal, fri, 4 * H)));
    // A pause that starts before the ticket and ends mid-morning.
    let early = normalize(vec![Segment::new(at(Paris, 2026, 11, 20, 8, 0), at(Paris, 2026, 11, 23, 10, 30))]);
    assert_eq!(deadline(&cal, fri, 4 * H, &early, false).map(|d| d.at), Ok(at(Paris, 2026, 11, 23, 16, 30)));
}

#[test]
fn business_days_follow_the_spec_examples() {
    let cal = cirrus();
    let bd = cal.business_day().secs();
    assert_eq!(bd, 9 * H);
    assert_eq!(due(&cal, at(Paris, 2026, 11, 23, 17, 0), bd), at(Paris, 2026, 11, 24, 17, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 23, 20, 0), bd), at(Paris, 2026, 11, 24, 18, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 21, 11, 0), bd), at(Paris, 2026, 11, 23, 18, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 20, 10, 0), 2 * bd), at(Paris, 2026, 11, 24, 10, 0));
    assert_eq!(apizee().business_day().secs(), 7 * H);
}

#[test]
fn overrides_replace_a_dates_hours() {
    let mut ov = BTreeMap::new();
    let eve = NaiveDate::from_ymd_opt(2026, 12, 24).expect("date");
    ov.insert(eve, vec![w("09:00-12:00")]);
    let sat = NaiveDate::from_ymd_opt(2026, 12, 19).expect("date");
    ov.insert(sat, vec![w("10:00-12:00")]);
    let cal = Calendar::new("x", Paris, weekdays(&["09:00-18:00"]), french_holidays(), ov, None).expect("calendar");
    // Thu 24 Dec 11:00 + 2 h: 1 h on the short day, Fri 25th holiday, weekend, Mon 28 09:00–10:00.
    assert_eq!(due(&cal, at(Paris, 2026, 12, 24, 11, 0), 2 * H), at(Paris, 2026, 12, 28, 10, 0));
    // Worked Saturday: Fri 18 17:00 + 2 h → 1 h Fri, Sat 10:00–11:00.
    assert_eq!(due(&cal, at(Paris, 2026, 12, 18, 17, 0), 2 * H), at(Paris, 2026, 12, 19, 11, 0));
}

#[test]
fn ten_thousand_business_days_match_the_naive_walk() {
    let cal = apizee();
    let opened = at(Paris, 2026, 11, 20, 17, 30);
    let work = 10_000 * cal.business_day().secs();
    let d = due(&cal, opened, work);
    assert_eq!(d, naive_deadline(&cal, opened, work, &[]));
    assert_eq!(elapsed(&cal, opened, d, &[], false).map(|e| e.seconds), Ok(work));
}

#[test]
fn explain_lists_windows_and_holidays() {
    let d = deadline(&apizee(), at(Paris, 2026, 7, 13, 17, 0), 8 * H, &[], true).expect("deadline");
    use super::timeline::Step;
    assert!(d.steps.iter().any(|s| matches!(s, Step::Holiday { name, .. } if name == "Bastille Day")));
    let worked: i64 = d.steps.iter().map(|s| if let Step::Worked { span, .. } = s { span.duration() } else { 0 }).sum();
    assert_eq!(worked, 8 * H);
}

#[test]
fn explain_over_whole_weeks_lists_their_holidays_in_order() {
    use super::timeline::Step;
    // 15 bd (105 h) opened Sun 2026-12-13: weeks of 14 and 21 December
    // taken whole (35 h + 28 h: Christmas, Fri 25th, is a holiday), then day
    // by day to Tue 2027-01-05 18:00 past New Year's Day.
    let cal = apizee();
    let d = deadline(&cal, at(Paris, 2026, 12, 13, 12, 0), 105 * H, &[], true).expect("deadline");
    let kinds: Vec<String> = d
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Weeks { from, to, worked, .. } => Some(format!("weeks {from} {to} {worked}")),
            Step::Holiday { date, name } => Some(format!("holiday {date} {name}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        ["weeks 2026-12-14 2026-12-28 226800", "holiday 2026-12-25 Christmas", "holiday 2027-01-01 New Year"]
    );
    // Over 10,000 bd (about 38 years, nearly all in whole weeks), the trace
    // names every French holiday on a weekday between the clock start and
    // the deadline, each once, in date order.
    let opened = at(Paris, 2026, 11, 20, 17, 30);
    let d = deadline(&cal, opened, 10_000 * 7 * H, &[], true).expect("deadline");
    assert!(d.steps.iter().any(|s| matches!(s, Step::Weeks { .. })), "the fast path is used");
    let listed: Vec<NaiveDate> =
        d.steps.iter().filter_map(|s| if let Step::Holiday { date, .. } = s { Some(*date) } else { None }).collect();
    let (first, last) = (
        cal.local_date(Timestamp::from_secs(opened)).expect("date"),
        cal.local_date(Timestamp::from_secs(d.at)).expect("date"),
    );
    let mut want: Vec<NaiveDate> = (first.year()..=last.year())
        .flat_map(|y| super::holiday::dates_in(cal.holidays(), y))
        .map(|(date, _)| date)
        .filter(|date| *date >= first && *date <= last && date.weekday().num_days_from_monday() < 5)
        .collect();
    want.dedup();
    assert_eq!(listed, want);
    // Steps read in date order: a weeks step by its first Monday, the
    // holidays inside it right after it.
    let keys: Vec<NaiveDate> = d
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Worked { date, .. } | Step::Holiday { date, .. } => Some(*date),
            Step::Weeks { from, .. } => Some(*from),
            Step::Paused { .. } => None,
        })
        .collect();
    assert!(keys.windows(2).all(|p| p[0] <= p[1]), "steps out of order");
}

/// The obvious algorithm: every local day, every window, no week jumps, and
/// none of the engine's calendar code (no year tables, no day offsets, no
/// segments): each date's windows come from the plan's own data (an override,
/// else a holiday rule's date, else the weekday's windows), and each window
/// boundary is read afresh from the zone.
struct Reference<'a> {
    cal: &'a Calendar,
    /// Holiday dates of each year met so far, from the rules themselves.
    holidays: BTreeMap<i32, Vec<NaiveDate>>,
}

impl<'a> Reference<'a> {
    fn new(cal: &'a Calendar) -> Reference<'a> {
        Reference { cal, holidays: BTreeMap::new() }
    }

    /// The local date of instant `t`, from the zone's offset.
    fn date_of(&self, t: i64) -> NaiveDate {
        zone::wall_clock(self.cal.tz(), t).expect("instant in range").date()
    }

    /// The windows that apply on `date`.
    fn windows(&mut self, date: NaiveDate) -> Vec<Window> {
        if let Some(w) = self.cal.overrides().get(&date) {
            return w.clone();
        }
        if let Some((_, w)) = self.cal.recurring().iter().find(|(md, _)| *md == (date.month(), date.day())) {
            return w.clone();
        }
        let rules = self.cal.holidays();
        let holidays = self.holidays.entry(date.year()).or_insert_with(|| {
            // Each rule year near the date, as the rule produces it (an
            // observed day or an offset may land in the year before or after).
            rules.iter().flat_map(|h| (date.year() - 1..=date.year() + 1).flat_map(|y| h.rule.dates_from(y))).collect()
        });
        if holidays.contains(&date) {
            return vec![];
        }
        self.cal.week()[date.weekday().num_days_from_monday() as usize].clone()
    }

    /// The working spans of `date` by the DST policy: each window boundary
    /// read as a wall-clock time (an overnight end past 24:00 on the next
    /// day's wall clock, simply as more seconds after this midnight), a time in a gap moved minute by minute to
    /// the first wall-clock time after it, a time in a fold taken at its
    /// first occurrence, and everything between the two boundaries worked
    /// (the fold's repeated hour included).
    fn segments(&mut self, date: NaiveDate) -> Vec<Segment> {
        let tz = self.cal.tz();
        let instant = |secs: u32| -> i64 {
            let mut local = (date.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()) + i64::from(secs);
            loop {
                match zone::from_local(tz, local) {
                    zone::Local::Single(t) => return t,
                    zone::Local::Ambiguous(first, _) => return first,
                    zone::Local::Gap { .. } => local += 60,
                }
            }
        };
        self.windows(date)
            .iter()
            .map(|w| Segment::new(instant(w.start), instant(w.end)))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

pub(super) fn naive_deadline(cal: &Calendar, opened: i64, work: i64, pauses: &[Segment]) -> i64 {
    if work == 0 {
        return opened;
    }
    let mut remaining = work;
    let mut reference = Reference::new(cal);
    // The day before: its overnight window may still run at `opened`.
    let mut date = reference.date_of(opened).pred_opt().expect("date");
    loop {
        for s in reference.segments(date) {
            if s.end <= opened {
                continue;
            }
            let s = Segment::new(s.start.max(opened), s.end);
            let mut hit = None;
            subtract_each(s, pauses, |p| {
                if remaining <= p.duration() {
                    hit = Some(p.start + remaining);
                    return false;
                }
                remaining -= p.duration();
                true
            });
            if let Some(h) = hit {
                return h;
            }
        }
        date = date.succ_opt().expect("date");
    }
}

pub(super) fn naive_elapsed(cal: &Calendar, from: i64, to: i64, pauses: &[Segment]) -> i64 {
    let mut total = 0;
    let mut reference = Reference::new(cal);
    let mut date = reference.date_of(from).pred_opt().expect("date");
    let last = reference.date_of(to);
    while date <= last {
        for s in reference.segments(date) {
            if let Some(s) = s.intersect(&Segment::new(from, to)) {
                subtract_each(s, pauses, |p| {
                    total += p.duration();
                    true
                });
            }
        }
        date = date.succ_opt().expect("date");
    }
    total
}

pub(super) const ZONES: [Tz; 7] = [
    chrono_tz::Europe::Paris,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Sydney,
    chrono_tz::Asia::Kolkata,
    chrono_tz::UTC,
    chrono_tz::America::Santiago,
    chrono_tz::Australia::Lord_Howe,
];

/// A random holiday rule of any kind (nested offsets and year spans
/// included), with an observance or not.
fn any_rule() -> impl Strategy<Value = (HolidayRule, Option<Observance>)> {
    let weekday = (0u8..7).prop_map(|w| Weekday::try_from(w).expect("weekday"));
    let base = prop_oneof![
        (1u32..13, 1u32..29).prop_map(|(month, day)| HolidayRule::Fixed { month, day }),
        (-3i32..60).prop_map(HolidayRule::Easter),
        (-60i32..60).prop_map(HolidayRule::OrthodoxEaster),
        (1u32..13, weekday, prop_oneof![1i8..6, Just(-1i8)])
            .prop_map(|(month, weekday, nth)| HolidayRule::NthWeekday { month, weekday, nth }),
        proptest::collection::vec(0u64..3650, 1..6).prop_map(|days| {
            let base = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
            let mut v: Vec<NaiveDate> = days.into_iter().map(|d| base + chrono::Days::new(d)).collect();
            v.sort_unstable();
            v.dedup();
            HolidayRule::Dates(v.into())
        }),
    ];
    let shaped = (base, proptest::option::of(-40i32..40), proptest::option::of((2020i32..2034, 0i32..8))).prop_map(
        |(rule, offset, years)| {
            let rule = match offset {
                Some(days) => HolidayRule::Offset { rule: Box::new(rule), days },
                None => rule,
            };
            match years {
                Some((since, len)) => HolidayRule::Years { rule: Box::new(rule), since, until: since + len },
                None => rule,
            }
        },
    );
    let how = proptest::option::of(prop_oneof![Just(Observance::NearestWeekday), Just(Observance::NextMonday)]);
    (shaped, how)
}

/// A holiday set of `rules` with the observed days after them, as plan
/// files build it.
fn with_observed(rules: Vec<(HolidayRule, Option<Observance>)>) -> Vec<Holiday> {
    let set = std::sync::Arc::new(ObservedSet::new(rules.clone()));
    let mut out: Vec<Holiday> = rules.iter().map(|(r, _)| Holiday { name: "r".into(), rule: r.clone() }).collect();
    out.extend(rules.iter().enumerate().filter(|(_, (_, o))| o.is_some()).map(|(index, _)| Holiday {
        name: "r (observed)".into(),
        rule: HolidayRule::Observed { set: std::sync::Arc::clone(&set), index },
    }));
    out
}

prop_compose! {
    /// A random calendar: 0–3 windows a day on a 30-minute grid (some
    /// crossing the small-hours DST changes), on some days an overnight
    /// window after them (ending the next day by its first window, often
    /// across a DST change), a few holidays, exact overrides (some
    /// overnight) and recurring ones.
    pub(super) fn any_calendar()(
        zone in 0..ZONES.len(),
        days in proptest::collection::vec(proptest::collection::vec((0u32..48, 1u32..20), 0..4), 7),
        nights in proptest::collection::vec(proptest::option::weighted(0.4, (0u32..8, 1u32..20)), 7),
        fixed in proptest::collection::vec((1u32..13, 1u32..29), 0..4),
        easter in proptest::collection::vec(prop_oneof![-3i32..60, -400i32..400], 0..3),
        overrides in proptest::collection::vec((0i64..3000, 0u32..48, 1u32..40), 0..3),
        recurring in proptest::collection::vec((1u32..13, 1u32..30, 0u32..48, 1u32..40), 0..3),
        rules in proptest::collection::vec(any_rule(), 0..5),
        always in proptest::bool::weighted(0.1),
    ) -> Calendar {
        if always {
            return Calendar::always();
        }
        let to_windows = |spec: &Vec<(u32, u32)>| {
            let mut v: Vec<Window> = vec![];
            let mut cursor = 0u32;
            for &(gap, len) in spec {
                let start = cursor + gap * 1800 % 43_200;
                let end = (start + len * 1800).min(86_400);
                if start < end && end <= 86_400 {
                    v.push(Window { start, end });
                    cursor = end;
                }
                if cursor >= 86_400 { break; }
            }
            v
        };
        let mut week: [Vec<Window>; 7] = std::array::from_fn(|i| to_windows(&days[i]));
        if week.iter().all(Vec::is_empty) {
            week[2] = vec![Window { start: 9 * 3600, end: 17 * 3600 }];
        }
        // Overnight windows: from after the day's last window (by `gap`
        // half hours, from 22:00 at the latest) for `len` half hours,
        // ending by the next day's first window.
        let heads: Vec<u32> = week.iter().map(|d| d.iter().map(|w| w.start).min().unwrap_or(86_400)).collect();
        for (i, night) in nights.iter().enumerate() {
            let Some((gap, len)) = *night else { continue };
            let last = week[i].iter().map(|w| w.end).max().unwrap_or(0);
            let start = (last + gap * 1800).max(79_200);
            if start >= 86_400 { continue; }
            let end = (start + len * 1800).min(86_400 + heads[(i + 1) % 7]);
            if end > start && end > 86_400 {
                week[i].push(Window { start, end });
            }
        }
        let mut holidays: Vec<Holiday> = fixed.iter().map(|&(month, day)| Holiday { name: "f".into(), rule: HolidayRule::Fixed { month, day } }).collect();
        holidays.extend(easter.iter().map(|&n| Holiday { name: "e".into(), rule: HolidayRule::Easter(n) }));
        holidays.extend(with_observed(rules));
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        // Override windows up to 20 h long: the ones past midnight are
        // overnight; an override that overlaps a neighbour is cut back to
        // end at midnight, then dropped, until the calendar is valid.
        let window = |s: u32, l: u32, night: bool| {
            let start = s * 1800;
            Window { start, end: if night { start + l * 1800 } else { (start + l * 1800).min(86_400) } }
        };
        let ov = |night: bool| -> BTreeMap<NaiveDate, Vec<Window>> {
            overrides.iter().map(|&(d, s, l)| (base + chrono::Days::new(d as u64), vec![window(s, l, night)])).collect()
        };
        let rec = |night: bool| -> Vec<super::calendar::Recurring> {
            recurring.iter().map(|&(m, d, s, l)| ((m, d), vec![window(s, l, night)])).collect()
        };
        for (night, with_rec) in [(true, true), (false, true), (false, false)] {
            let cal = Calendar::new("random", ZONES[zone], week.clone(), holidays.clone(), ov(night), Some(WorkSpan::new(8 * 3600)))
                .and_then(|c| c.with_recurring(if with_rec { rec(night) } else { vec![] }));
            if let Ok(cal) = cal {
                return cal;
            }
        }
        Calendar::new("random", ZONES[zone], week, holidays, BTreeMap::new(), Some(WorkSpan::new(8 * 3600))).expect("random calendar is valid")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300), ..ProptestConfig::default() })]

    #[test]
    fn elapsed_inverts_deadline_and_matches_naive(
        cal in any_calendar(),
        opened_off in 0i64..(8 * 365 * 86_400),
        work in prop_oneof![0i64..(40 * 3600), 0i64..(3000 * 3600)],
        pauses in proptest::collection::vec((0i64..(20 * 86_400), 0i64..(3 * 86_400)), 0..3),
    ) {
        let opened = 1_704_067_200 + opened_off; // from 2024-01-01
        let pauses = normalize(pauses.iter().map(|&(s, l)| Segment::new(opened - 86_400 + s, opened - 86_400 + s + l)).collect());
        let d = deadline(&cal, opened, work, &pauses, false).expect("deadline").at;
        prop_assert_eq!(d, naive_deadline(&cal, opened, work, &pauses));
        let e = elapsed(&cal, opened, d, &pauses, false).expect("elapsed").seconds;
        prop_assert_eq!(e, work);
        if work > 0 {
            prop_assert_eq!(e, naive_elapsed(&cal, opened, d, &pauses));
            // The second before a deadline is working time: never inside a closed period.
            prop_assert_eq!(elapsed(&cal, d - 1, d, &pauses, false).expect("elapsed").seconds, 1);
        }
    }

    #[test]
    fn after_2099_the_tables_match_the_naive_walk(
        cal in any_calendar(),
        opened_off in 0i64..(5 * 365 * 86_400),
        work in prop_oneof![0i64..(40 * 3600), 0i64..(600 * 3600)],
    ) {
        // Around chrono-tz's table end (2100-01-01): the year tables, built
        // from `zone`'s offsets, agree with the day-by-day reference walk.
        let opened = 4_039_372_800 + opened_off; // from 2098-01-01
        let d = deadline(&cal, opened, work, &[], false).expect("deadline").at;
        prop_assert_eq!(d, naive_deadline(&cal, opened, work, &[]));
        prop_assert_eq!(elapsed(&cal, opened, d, &[], false).expect("elapsed").seconds, work);
    }

    #[test]
    fn deadlines_grow_with_the_target(
        cal in any_calendar(),
        opened_off in 0i64..(8 * 365 * 86_400),
        a in 0i64..(500 * 3600),
        b in 0i64..(500 * 3600),
    ) {
        let opened = 1_704_067_200 + opened_off;
        let (lo, hi) = (a.min(b), a.max(b));
        let dl = deadline(&cal, opened, lo, &[], false).expect("deadline").at;
        let dh = deadline(&cal, opened, hi, &[], false).expect("deadline").at;
        prop_assert!(dl <= dh);
        if lo < hi { prop_assert!(dl < dh); }
    }

    #[test]
    fn elapsed_is_additive(
        cal in any_calendar(),
        a in 0i64..(4 * 365 * 86_400),
        b in 0i64..(60 * 86_400),
        c in 0i64..(60 * 86_400),
    ) {
        let t0 = 1_704_067_200 + a;
        let (t1, t2) = (t0 + b, t0 + b + c);
        let e = |x, y| elapsed(&cal, x, y, &[], false).expect("elapsed").seconds;
        prop_assert_eq!(e(t0, t2), e(t0, t1) + e(t1, t2));
        prop_assert_eq!(e(t0, t2), naive_elapsed(&cal, t0, t2, &[]));
    }
}

#[test]
fn overnight_shifts_belong_to_the_day_they_start() {
    // Mon–Fri 22:00–06:00 in Paris; Christmas (Fri 2026-12-25) a holiday.
    let christmas = vec![Holiday { name: "Christmas".into(), rule: HolidayRule::Fixed { month: 12, day: 25 } }];
    let cal =
        Calendar::new("night", Paris, weekdays(&["22:00-06:00"]), christmas, BTreeMap::new(), None).expect("calendar");
    assert_eq!(cal.business_day().secs(), 8 * H);
    // Thursday's shift runs into Christmas morning: the holiday closes only
    // the shift that starts on it.
    assert_eq!(due(&cal, at(Paris, 2026, 12, 24, 23, 0), 2 * H), at(Paris, 2026, 12, 25, 1, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 12, 24, 23, 0), 7 * H), at(Paris, 2026, 12, 25, 6, 0));
    // Opened on Christmas evening: no shift that night nor at the weekend.
    assert_eq!(clock_start(&cal, at(Paris, 2026, 12, 25, 21, 0)), Ok(at(Paris, 2026, 12, 28, 22, 0)));
    // Opened at 03:00 on a Tuesday: inside Monday's shift.
    assert_eq!(clock_start(&cal, at(Paris, 2026, 11, 24, 3, 0)), Ok(at(Paris, 2026, 11, 24, 3, 0)));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 24, 3, 0), 4 * H), at(Paris, 2026, 11, 24, 23, 0));
    // Friday's shift ends Saturday 06:00; the deadline at its end stays there.
    assert_eq!(due(&cal, at(Paris, 2026, 11, 27, 22, 0), 8 * H), at(Paris, 2026, 11, 28, 6, 0));
    assert_eq!(due(&cal, at(Paris, 2026, 11, 27, 22, 0), 8 * H + 1), at(Paris, 2026, 11, 30, 22, 0) + 1);
    // Whole weeks: 40 h a week, Sunday start, the fast path agrees.
    let sunday = at(Paris, 2026, 11, 22, 12, 0);
    assert_eq!(due(&cal, sunday, 80 * H), at(Paris, 2026, 12, 5, 6, 0));
    assert_eq!(due(&cal, sunday, 80 * H), naive_deadline(&cal, sunday, 80 * H, &[]));
}

#[test]
fn overnight_shift_across_dst_changes_is_seven_or_nine_hours() {
    // Every night 22:00–06:00; the changes happen at 02:00/03:00 on Sundays.
    let week: [Vec<Window>; 7] = std::array::from_fn(|_| vec![w("22:00-06:00")]);
    let cal = Calendar::new("night", Paris, week, vec![], BTreeMap::new(), None).expect("calendar");
    let shift = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let start = cal.resolve(date, 22 * 3600);
        let end = cal.resolve(date.succ_opt().expect("date"), 6 * 3600);
        assert_eq!(due(&cal, start, end - start), end);
        elapsed(&cal, start, end + 3600, &[], false).expect("elapsed").seconds
    };
    assert_eq!(shift(2026, 3, 28), 7 * H);
    assert_eq!(shift(2026, 10, 24), 9 * H);
    assert_eq!(shift(2026, 11, 24), 8 * H);
}

#[test]
fn overnight_windows_may_not_run_into_the_next_morning() {
    use super::calendar::CalendarError;
    let mut week = weekdays(&["09:00-17:00"]);
    week[0].push(w("22:00-10:00"));
    let err = Calendar::new("x", Paris, week, vec![], BTreeMap::new(), Some(WorkSpan::new(8 * H))).unwrap_err();
    assert!(
        matches!(&err, CalendarError::Overlap(m) if m.contains("mon 22:00-10:00") && m.contains("tue 09:00-17:00")),
        "{err}"
    );
    // Sunday night into Monday morning wraps round the week.
    let mut week = weekdays(&["05:00-12:00"]);
    week[6] = vec![w("20:00-06:00")];
    let err = Calendar::new("x", Paris, week, vec![], BTreeMap::new(), Some(WorkSpan::new(8 * H))).unwrap_err();
    assert!(matches!(&err, CalendarError::Overlap(m) if m.contains("sun 20:00-06:00")), "{err}");
    // An exact override next to an overnight weekday.
    let mut ov = BTreeMap::new();
    ov.insert(NaiveDate::from_ymd_opt(2026, 12, 22).expect("date"), vec![w("04:00-08:00")]);
    let err = Calendar::new("x", Paris, weekdays(&["22:00-06:00"]), vec![], ov, None).unwrap_err();
    assert!(matches!(&err, CalendarError::Overlap(m) if m.contains("2026-12-22 04:00-08:00")), "{err}");
    // A recurring override against every weekday.
    let cal = Calendar::new("x", Paris, weekdays(&["22:00-06:00"]), vec![], BTreeMap::new(), None).expect("calendar");
    assert!(cal.clone().with_recurring(vec![((12, 24), vec![w("05:00-08:00")])]).is_err());
    assert!(cal.with_recurring(vec![((12, 24), vec![w("06:00-08:00")])]).is_ok());
}

#[test]
fn recurring_overrides_apply_every_year_and_exact_dates_win() {
    let mut ov = BTreeMap::new();
    ov.insert(NaiveDate::from_ymd_opt(2027, 12, 24).expect("date"), vec![w("09:00-10:00")]);
    let cal = Calendar::new("x", Paris, weekdays(&["09:00-18:00"]), french_holidays(), ov, None)
        .and_then(|c| c.with_recurring(vec![((12, 24), vec![w("09:00-12:00")])]))
        .expect("calendar");
    // Thu 2026-12-24 11:00 + 2 h: 1 h on the short day, Christmas, weekend, Mon 28 10:00.
    assert_eq!(due(&cal, at(Paris, 2026, 12, 24, 11, 0), 2 * H), at(Paris, 2026, 12, 28, 10, 0));
    // Wed 2031-12-24 too.
    assert_eq!(due(&cal, at(Paris, 2031, 12, 24, 11, 0), 2 * H), at(Paris, 2031, 12, 26, 10, 0));
    // Fri 2027-12-24: the exact date (09:00–10:00) beats the recurring one.
    assert_eq!(due(&cal, at(Paris, 2027, 12, 24, 9, 30), H), at(Paris, 2027, 12, 27, 9, 30));
    let sunday = at(Paris, 2026, 11, 1, 12, 0);
    assert_eq!(due(&cal, sunday, 2000 * H), naive_deadline(&cal, sunday, 2000 * H, &[]));
}

/// Where rule `index`'s weekend date `d` is observed, as `ObservedSet`
/// resolved it before it resolved a year in one pass (audit 2026-12-06 H24):
/// the set's holidays within 31 days taken anew for each date. The one-pass
/// resolution must answer the same wherever no run of weekends and holidays
/// lasts a month.
fn observed_the_old_way(rules: &[(HolidayRule, Option<Observance>)], d: NaiveDate, index: usize) -> Option<NaiveDate> {
    let weekend = |x: NaiveDate| matches!(x.weekday(), Weekday::Sat | Weekday::Sun);
    let days = |x: NaiveDate, n: i64| x.checked_add_signed(chrono::Duration::days(n));
    let (lo, hi) = (days(d, -31)?, days(d, 31)?);
    let mut around: Vec<(NaiveDate, usize)> = Vec::new();
    for (j, (rule, _)) in rules.iter().enumerate() {
        for y in lo.year()..=hi.year() {
            around.extend(rule.dates_in(y).into_iter().filter(|x| (lo..=hi).contains(x)).map(|x| (x, j)));
        }
    }
    around.sort_unstable();
    around.dedup();
    let mut taken: std::collections::BTreeSet<NaiveDate> = around.iter().map(|&(x, _)| x).collect();
    for &(x, j) in &around {
        let Some(how) = rules[j].1 else { continue };
        if !weekend(x) {
            continue;
        }
        let first = match (how, x.weekday()) {
            (Observance::NearestWeekday, Weekday::Sat) => -1,
            (_, Weekday::Sat) => 2,
            _ => 1,
        };
        let mut to = days(x, first)?;
        while weekend(to) || taken.contains(&to) {
            to = days(to, 1)?;
        }
        taken.insert(to);
        if (x, j) == (d, index) {
            return Some(to);
        }
    }
    None
}

/// Every observed day `rules` give from the rule years `years`, the new way
/// (through the set) and the old way.
fn observed_both_ways(
    rules: &[(HolidayRule, Option<Observance>)],
    years: std::ops::RangeInclusive<i32>,
) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    let set = std::sync::Arc::new(ObservedSet::new(rules.to_vec()));
    let (mut new, mut old) = (Vec::new(), Vec::new());
    for (index, (rule, how)) in rules.iter().enumerate() {
        if how.is_none() {
            continue;
        }
        let observed = HolidayRule::Observed { set: std::sync::Arc::clone(&set), index };
        for y in years.clone() {
            new.extend(observed.dates_from(y));
            let weekend = rule.dates_from(y).into_iter().filter(|x| matches!(x.weekday(), Weekday::Sat | Weekday::Sun));
            old.extend(weekend.filter_map(|d| observed_the_old_way(rules, d, index)));
        }
    }
    (new, old)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn observed_days_resolved_by_year_are_those_resolved_by_date(rules in proptest::collection::vec(any_rule(), 1..12)) {
        let (new, old) = observed_both_ways(&rules, 2018..=2040);
        prop_assert_eq!(new, old);
    }
}

#[test]
fn observed_days_of_a_dense_set_are_unchanged() {
    // 15 holidays in a row over the new year, every one observed.
    let start = NaiveDate::from_ymd_opt(2001, 12, 24).expect("date");
    for how in [Observance::NextMonday, Observance::NearestWeekday] {
        let rules: Vec<(HolidayRule, Option<Observance>)> = (0..15)
            .map(|i| {
                let d = start + chrono::Days::new(i);
                (HolidayRule::Fixed { month: d.month(), day: d.day() }, Some(how))
            })
            .collect();
        let (new, old) = observed_both_ways(&rules, 1583..=1700);
        assert_eq!(new, old, "{how:?}");
        let (new, old) = observed_both_ways(&rules, 9900..=9999);
        assert_eq!(new, old, "{how:?}");
    }
}

#[test]
fn observed_days_of_the_audits_300_rule_set_are_unchanged() {
    // Audit 2026-12-06 H24: 300 days in a row from 1 January, each observed
    // next Monday: runs far longer than a month, where the one-pass
    // resolution must still answer as the search by date did.
    let start = NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");
    let rules: Vec<(HolidayRule, Option<Observance>)> = (0..300)
        .map(|i| {
            let d = start + chrono::Days::new(i);
            (HolidayRule::Fixed { month: d.month(), day: d.day() }, Some(Observance::NextMonday))
        })
        .collect();
    let (new, old) = observed_both_ways(&rules, 2025..=2026);
    assert!(!new.is_empty());
    assert_eq!(new, old);
}
