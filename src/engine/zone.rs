//! UTC offsets of a time zone, for every year slacalc accepts (1583–9999).
//!
//! chrono-tz 0.10 ships the IANA transitions as a table that ends in 2099
//! (its last entry is 2099-11-01); past it, chrono-tz keeps the last offset
//! for ever, so Paris would stay on CET and Sydney on AEDT all year. The IANA
//! database itself has a recurring rule for those zones ("last Sunday of
//! March at 01:00 UTC", ...), and such rules depend only on the calendar:
//! two years whose 1 January falls on the same weekday and that are both leap
//! or both common have every date on the same weekday. So an instant after
//! the table is mapped to the same moment of the latest *equivalent* year in
//! 2072–2099 (a full 28-year cycle, with no century year in it, so each of the
//! 14 year shapes occurs), and that year's offset is used: the zone's current
//! rule, applied exactly beyond the table.
//!
//! A zone with no offset change left in 2099 (its DST was abolished, or, like
//! Morocco's, it only had changes predicted date by date up to some year)
//! keeps its last offset, as the IANA database says. The one approximation
//! left is a zone whose 2072–2098 entries are one-off predictions *and* that
//! still has a recurring rule in 2099 (Gaza and Hebron, whose DST is predicted
//! around Ramadan up to 2086): after 2099 it follows the equivalent year's
//! entries.
//!
//! Every offset the engine and the printing compute goes through
//! [`offset_at`] and [`from_local`], so they agree with each other; a wall
//! clock time becomes an instant through [`resolve`], whose
//! [`Disambiguation`] names what happens in a gap or a fold.

use chrono::{LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetName, Tz};

use super::day::{DAY, Day, LocalSeconds, Timestamp};
use super::zone_table;

/// 2100-01-01T00:00:00Z: the first instant after chrono-tz's tables (their
/// last transition is 2099-11-01).
pub const TABLE_END: i64 = 4_102_444_800;

/// 2099-01-01T00:00:00Z and 2099-07-01T00:00:00Z, to tell whether a zone
/// still changes offset in the table's last year.
const END_WINTER: i64 = 4_070_908_800;
const END_SUMMER: i64 = 4_086_547_200;

/// The UTC offset, in seconds, of `tz` at UTC instant `t` (seconds since the
/// Unix epoch).
pub fn offset_at(tz: Tz, t: i64) -> i64 {
    if t < TABLE_END {
        return table_offset(tz, t);
    }
    offset_beyond(tz, t, changes_after_table(tz))
}

/// True when `tz` still changes offset in the table's last year, so that
/// after it the equivalent-year rule applies (else the last offset holds).
///
/// A fact of the zone data, like chrono-tz's own tables: worked out once per
/// zone and process (two look-ups), then read from an atomic per zone, as
/// every offset past the table asks it.
pub(crate) fn changes_after_table(tz: Tz) -> bool {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU8, Ordering};
    // Per zone: 0 not known yet, 1 no change left, 2 changes.
    static KNOWN: OnceLock<Box<[AtomicU8]>> = OnceLock::new();
    let known = KNOWN.get_or_init(|| chrono_tz::TZ_VARIANTS.iter().map(|_| AtomicU8::new(0)).collect());
    let work_out = || table_offset(tz, END_WINTER) != table_offset(tz, END_SUMMER);
    // `Tz` is a field-less enum: its discriminant indexes `TZ_VARIANTS`.
    let Some(slot) = known.get(tz as usize) else { return work_out() };
    match slot.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let changes = work_out();
            slot.store(1 + u8::from(changes), Ordering::Relaxed);
            changes
        }
    }
}

/// [`offset_at`] for `t` at or after [`TABLE_END`], with
/// [`changes_after_table`] already known (the searches ask it once, not once
/// per sample).
pub(crate) fn offset_beyond(tz: Tz, t: i64, changes: bool) -> i64 {
    if changes { table_offset(tz, t - shift(t)) } else { table_offset(tz, t) }
}

/// The wall-clock date and time of UTC instant `t` in `tz` (`None` outside chrono's range).
pub(crate) fn wall_clock(tz: Tz, t: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp(t.checked_add(offset_at(tz, t))?, 0).map(|d| d.naive_utc())
}

/// How a local wall-clock time reads in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Local {
    /// It happens once, at this UTC instant.
    Single(i64),
    /// It happens twice (a fold, the clocks go back): the two UTC instants, earlier first.
    Ambiguous(i64, i64),
    /// It never happens (a gap, the clocks go forward): the offsets before and after.
    Gap {
        /// Offset before the gap, in seconds.
        before: i64,
        /// Offset after the gap, in seconds.
        after: i64,
    },
}

/// Reads wall-clock `local` (seconds since 1970-01-01T00:00 local time) in `tz`.
pub fn from_local(tz: Tz, local: i64) -> Local {
    if local < TABLE_END - 2 * DAY
        && let Some(naive) = chrono::DateTime::from_timestamp(local, 0).map(|d| d.naive_utc())
    {
        return from_table(tz, &naive, local);
    }
    // Beyond the table, from the offsets alone. An offset lies within
    // ±26 h, and no zone changes offset twice within two days, so the
    // candidates are the offsets a day before and a day after.
    let (before, after) = (offset_at(tz, local - DAY), offset_at(tz, local + DAY));
    let valid = |off: i64| offset_at(tz, local - off) == off;
    match (valid(before), valid(after)) {
        _ if before == after => Local::Single(local - before),
        (true, true) => {
            let (a, b) = (local - before, local - after);
            Local::Ambiguous(a.min(b), a.max(b))
        }
        (true, false) => Local::Single(local - before),
        (false, true) => Local::Single(local - after),
        (false, false) => Local::Gap { before, after },
    }
}

/// What to do with a wall-clock time that happens twice (a fold) or never (a
/// gap), after jiff's `Disambiguation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disambiguation {
    /// A window boundary (SPEC §2): in a fold, the first occurrence; in a gap,
    /// the gap's end (the first instant whose wall clock is past the time).
    Boundary,
    /// A time someone typed: a gap or a fold is an error, never a guess.
    Reject,
}

/// The UTC instant of wall-clock `local` in `tz`, by `how`.
///
/// # Errors
/// With [`Disambiguation::Reject`], the [`Local::Ambiguous`] or [`Local::Gap`]
/// reading, for the message to name both offsets. [`Disambiguation::Boundary`]
/// always answers.
pub(crate) fn resolve(tz: Tz, local: LocalSeconds, how: Disambiguation) -> Result<Timestamp, Local> {
    let local = local.secs();
    match (from_local(tz, local), how) {
        (Local::Single(t), _) => Ok(Timestamp::from_secs(t)),
        (Local::Ambiguous(first, _), Disambiguation::Boundary) => Ok(Timestamp::from_secs(first)),
        (Local::Gap { .. }, Disambiguation::Boundary) => Ok(Timestamp::from_secs(gap_end(tz, local))),
        (reading, Disambiguation::Reject) => Err(reading),
    }
}

/// The first UTC instant whose wall clock in `tz` is at or past `local`, which
/// lies in a gap: the gap's end. Found by bisection over ±26 h, the widest
/// any offset reaches.
fn gap_end(tz: Tz, local: i64) -> i64 {
    let (mut lo, mut hi) = (local - 26 * 3600, local + 26 * 3600);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if mid + offset_at(tz, mid) >= local {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// The offset of `tz` at `from`, and every change of it in `(from, to)`: the
/// UTC instant of the change with the offset from then on. Offsets are
/// sampled every 4 days (no zone changes twice within that), and each change
/// is pinned to the second by bisection.
///
/// From the transition table of [`zone_table`] where it covers the span
/// (1582 to 2099): a slice of it, no search.
pub(crate) fn transitions(tz: Tz, from: i64, to: i64) -> (i64, Vec<(i64, i64)>) {
    if let Some(found) = zone_table::changes(tz, from, to) {
        return found;
    }
    if to < TABLE_END && local_mean_time_throughout(tz, from, to) {
        return (table_offset(tz, from), Vec::new());
    }
    search(tz, from, to)
}

/// [`transitions`] by sampling and bisection.
fn search(tz: Tz, from: i64, to: i64) -> (i64, Vec<(i64, i64)>) {
    let changes = to > TABLE_END && changes_after_table(tz);
    let offset_at = |t: i64| if t < TABLE_END { table_offset(tz, t) } else { offset_beyond(tz, t, changes) };
    let base = offset_at(from);
    let mut out = Vec::new();
    let (mut t, mut o) = (from, base);
    while t < to {
        let next = (t + 4 * DAY).min(to);
        if offset_at(next) == o {
            t = next;
            continue;
        }
        let (mut a, mut b) = (t, next);
        while b - a > 1 {
            let mid = a + (b - a) / 2;
            if offset_at(mid) == o {
                a = mid;
            } else {
                b = mid;
            }
        }
        o = offset_at(b);
        out.push((b, o));
        t = b;
    }
    (base, out)
}

/// True when `tz` keeps one local mean time offset ("LMT", before the zone
/// adopted a standard time) from `from` to `to`, at most [`LMT_SPAN`]
/// apart: both ends read LMT with the same offset. In the IANA database a
/// zone that leaves an LMT offset comes back to it, if ever, only years later
/// (Lagos: LMT, GMT from 1905 to 1908, LMT again), so nothing changes in
/// between (checked for every zone by a test): centuries of years before the
/// zones' first standard time skip the search of [`transitions`].
fn local_mean_time_throughout(tz: Tz, from: i64, to: i64) -> bool {
    if to - from > LMT_SPAN {
        return false;
    }
    let lmt = |t: i64| {
        let dt = chrono::DateTime::from_timestamp(t, 0)?;
        let off = tz.offset_from_utc_datetime(&dt.naive_utc());
        (off.abbreviation() == Some("LMT")).then(|| off.fix().local_minus_utc())
    };
    lmt(from).is_some_and(|a| lmt(to) == Some(a))
}

/// The longest span [`local_mean_time_throughout`] answers for: a year table's.
const LMT_SPAN: i64 = 400 * DAY;

/// chrono-tz's answer for a local time inside its tables.
fn from_table(tz: Tz, naive: &NaiveDateTime, local: i64) -> Local {
    match tz.from_local_datetime(naive) {
        LocalResult::Single(dt) => Local::Single(dt.timestamp()),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.timestamp(), b.timestamp());
            Local::Ambiguous(a.min(b), a.max(b))
        }
        LocalResult::None => Local::Gap { before: offset_at(tz, local - DAY), after: offset_at(tz, local + DAY) },
    }
}

/// chrono-tz's offset (its last one after 2099), from the transition table
/// of [`zone_table`] where it covers `t`.
fn table_offset(tz: Tz, t: i64) -> i64 {
    if let Some(off) = zone_table::offset(tz, t) {
        return off;
    }
    match chrono::DateTime::from_timestamp(t, 0) {
        Some(dt) => i64::from(tz.offset_from_utc_datetime(&dt.naive_utc()).fix().local_minus_utc()),
        // Beyond chrono's ±262,000 years, far past the 1583..=9999 that input
        // parsing and the walks allow: UTC, as chrono-tz has no rule there.
        None => 0,
    }
}

/// Seconds from the equivalent year's 1 January to the 1 January of `t`'s
/// UTC year: `t - shift(t)` is the same date, weekday and time of day in a
/// year of 2072–2099.
fn shift(t: i64) -> i64 {
    let year = Day::containing(t).year();
    (Day::jan1(year) - Day::jan1(equivalent_year(year))) * DAY
}

/// The latest year of 2072–2099 whose 1 January falls on the same weekday as
/// `year`'s and that is leap exactly when `year` is: every date of the two
/// falls on the same weekday.
pub(crate) fn equivalent_year(year: i64) -> i64 {
    EQUIVALENT[usize::from(is_leap(year))][Day::jan1(year).weekday()]
}

/// [`equivalent_year`] by leapness (common, leap) and 1 January's weekday
/// (Monday first), worked out at compile time.
const EQUIVALENT: [[i64; 7]; 2] = {
    // Every (weekday, leap) pair occurs in 2072–2099; 2099 is a fallback never taken.
    let mut table = [[2099; 7]; 2];
    let mut found = [[false; 7]; 2];
    let mut y = 2099;
    while y >= 2072 {
        let (l, w) = (is_leap(y) as usize, Day::jan1(y).weekday());
        if !found[l][w] {
            found[l][w] = true;
            table[l][w] = y;
        }
        y -= 1;
    }
    table
};

const fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use chrono_tz::{America, Australia, Europe};

    const H: i64 = 3600;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc().timestamp()
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(Day::jan1(1970).get(), 0);
        assert_eq!(Day::jan1(2100).start(), TABLE_END);
        assert_eq!(Day::jan1(2099).start(), END_WINTER);
        assert_eq!(Day::from_civil(2099, 7, 1).start(), END_SUMMER);
        for y in [1583, 1900, 1970, 2000, 2099, 2100, 2150, 9999] {
            let d = Day::jan1(y);
            assert_eq!(d.year(), y);
            assert_eq!((d - 1).year(), y - 1);
            assert_eq!((d + 364).year(), y);
        }
    }

    #[test]
    fn each_year_shape_maps_to_the_same_shape() {
        for year in [2100, 2101, 2104, 2150, 2400, 2401, 5000, 9999] {
            let t = utc(year, 3, 1, 12);
            let mapped = chrono::DateTime::from_timestamp(t - shift(t), 0).unwrap();
            let orig = chrono::DateTime::from_timestamp(t, 0).unwrap();
            assert!((2072..=2099).contains(&mapped.year()), "{year}");
            assert_eq!((mapped.month(), mapped.day(), mapped.weekday()), (orig.month(), orig.day(), orig.weekday()));
            assert_eq!(NaiveDate::from_ymd_opt(mapped.year(), 2, 29).is_some(), is_leap(i64::from(year)));
        }
    }

    /// What [`local_mean_time_throughout`] relies on: in every zone, an LMT
    /// offset that ends comes back, if ever, only after more than
    /// [`LMT_SPAN`] (sampled every 10 days, from 1583 to the table's end).
    #[test]
    fn local_mean_time_never_comes_back_soon() {
        for tz in chrono_tz::TZ_VARIANTS {
            // Each LMT offset left, with when it was last read.
            let mut left: Vec<(i64, i64)> = Vec::new();
            let mut current: Option<i64> = None;
            let mut t = Day::jan1(1583).start();
            while t < TABLE_END {
                let dt = chrono::DateTime::from_timestamp(t, 0).unwrap();
                let off = tz.offset_from_utc_datetime(&dt.naive_utc());
                let lmt = (off.abbreviation() == Some("LMT")).then(|| i64::from(off.fix().local_minus_utc()));
                if let (Some(c), true) = (current, current != lmt) {
                    left.push((c, t - 10 * DAY));
                }
                if let Some(&(_, last)) = lmt.and_then(|o| left.iter().rev().find(|(l, _)| *l == o)) {
                    assert!(t - last > LMT_SPAN, "{tz}: LMT {lmt:?} again at {t}");
                }
                current = lmt;
                t += 10 * DAY;
            }
        }
    }

    #[test]
    fn local_mean_time_years_have_no_changes() {
        for tz in chrono_tz::TZ_VARIANTS {
            for year in [1583, 1800, 1845, 1867, 1880, 1890, 1899, 1905, 1908, 1913, 1920] {
                let (from, to) = ((Day::jan1(year) - 3).start(), (Day::jan1(year + 1) + 3).start());
                assert_eq!(transitions(tz, from, to), search(tz, from, to), "{tz} {year}");
            }
        }
    }

    /// The transition table answers what the offset search it replaces
    /// answers, for every zone, in years of each era of the tz data (first
    /// standard times, the wars, the 1970s, today's rules, predicted years).
    #[test]
    fn the_table_answers_what_the_search_did() {
        for tz in chrono_tz::TZ_VARIANTS {
            for year in [1583, 1916, 1942, 1945, 1977, 1996, 2011, 2024, 2061, 2098, 2099] {
                let (from, to) = ((Day::jan1(year) - 3).start(), (Day::jan1(year + 1) + 3).start().min(TABLE_END - 1));
                assert_eq!(zone_table::changes(tz, from, to), Some(search(tz, from, to)), "{tz} {year}");
            }
        }
    }

    #[test]
    fn zones_index_their_own_slots() {
        for (i, tz) in chrono_tz::TZ_VARIANTS.iter().enumerate() {
            assert_eq!(*tz as usize, i, "{tz}");
            let direct = table_offset(*tz, END_WINTER) != table_offset(*tz, END_SUMMER);
            assert_eq!((changes_after_table(*tz), changes_after_table(*tz)), (direct, direct), "{tz}");
        }
    }

    #[test]
    fn equivalent_years_are_the_latest_of_their_shape() {
        for year in (1583..=9999).step_by(7).chain(2072..=2200) {
            let (weekday, leap) = (Day::jan1(year).weekday(), is_leap(year));
            let same = (2072..=2099).rev().find(|&y| is_leap(y) == leap && Day::jan1(y).weekday() == weekday);
            assert_eq!(Some(equivalent_year(year)), same, "{year}");
        }
    }

    #[test]
    fn paris_keeps_its_rule_after_2099() {
        let paris = Europe::Paris;
        // Summer and winter of 2150, and the changes: EU rule, 01:00 UTC on
        // the last Sundays of March and October. 2150: 1 January is a
        // Thursday, so 31 March is a Tuesday: last Sunday 29 March; 31 October
        // is a Saturday: last Sunday 25 October.
        assert_eq!(offset_at(paris, utc(2150, 7, 1, 10)), 2 * H);
        assert_eq!(offset_at(paris, utc(2150, 1, 15, 10)), H);
        assert_eq!(offset_at(paris, utc(2150, 3, 29, 1) - 1), H);
        assert_eq!(offset_at(paris, utc(2150, 3, 29, 1)), 2 * H);
        assert_eq!(offset_at(paris, utc(2150, 10, 25, 1) - 1), 2 * H);
        assert_eq!(offset_at(paris, utc(2150, 10, 25, 1)), H);
        // Sydney: AEST in July, AEDT in January (southern summer).
        assert_eq!(offset_at(Australia::Sydney, utc(2150, 7, 1, 0)), 10 * H);
        assert_eq!(offset_at(Australia::Sydney, utc(2150, 1, 1, 0)), 11 * H);
        // New York: EDT in July 9999.
        assert_eq!(offset_at(America::New_York, utc(9999, 7, 1, 12)), -4 * H);
        // A zone without DST: Tokyo, and Casablanca's constant +01 after its last predicted change.
        assert_eq!(offset_at(chrono_tz::Asia::Tokyo, utc(2150, 7, 1, 0)), 9 * H);
        assert_eq!(offset_at(chrono_tz::Africa::Casablanca, utc(2150, 4, 1, 0)), H);
    }

    #[test]
    fn matches_chrono_inside_the_table() {
        let mut t = utc(1900, 1, 1, 0);
        while t < TABLE_END {
            for tz in [Europe::Paris, Australia::Sydney, America::Santiago] {
                assert_eq!(offset_at(tz, t), table_offset(tz, t));
            }
            t += 7_919_993;
        }
    }

    #[test]
    fn local_times_after_2099() {
        let paris = Europe::Paris;
        let local = |y, m, d, h| utc(y, m, d, h); // wall clock as if UTC
        // 2150-07-01 12:00 in Paris is 10:00Z.
        assert_eq!(from_local(paris, local(2150, 7, 1, 12)), Local::Single(utc(2150, 7, 1, 10)));
        // 2150-03-29 02:30 does not exist (clocks jump 02:00 → 03:00).
        assert_eq!(from_local(paris, local(2150, 3, 29, 2) + 1800), Local::Gap { before: H, after: 2 * H });
        // 2150-10-25 02:30 happens twice: 00:30Z (CEST) and 01:30Z (CET).
        assert_eq!(
            from_local(paris, local(2150, 10, 25, 2) + 1800),
            Local::Ambiguous(utc(2150, 10, 25, 0) + 1800, utc(2150, 10, 25, 1) + 1800)
        );
        // Around the table's end the two ways agree: New Year's Eve 2099 in Sydney.
        assert_eq!(from_local(Australia::Sydney, local(2100, 1, 1, 1)), Local::Single(utc(2099, 12, 31, 14)));
    }
}
