//! The engine's small quantity types: [`Day`], a local day number, and
//! [`WorkSpan`], a length of working time. Both are plain `i64`s underneath
//! (`#[repr(transparent)]`, `Copy`): the walks add and compare them in their
//! hot loops, and the types only keep a day number from passing for an
//! instant, or working seconds for wall-clock ones.
//!
//! Instants stay `i64` UTC seconds, as [`crate::engine::Segment`] holds them
//! and every layer above passes them (see DESIGN.md, "types").

use std::ops::{Add, AddAssign, Sub, SubAssign};

use chrono::{Datelike, NaiveDate};

/// Seconds in a civil day.
pub(crate) const DAY: i64 = 86_400;

/// Days from 0001-01-01 (chrono's day 1 of the common era, less one) to 1970-01-01.
const EPOCH_FROM_CE: i64 = 719_163;

/// A local calendar day, as days since 1970-01-01 (day 0; 1969-12-31 is -1).
///
/// The walks go day by day on these and build a [`NaiveDate`] only when they
/// report one.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Day(i64);

impl Day {
    /// Day number `n` (days since 1970-01-01).
    pub(crate) const fn new(n: i64) -> Day {
        Day(n)
    }

    /// The day number (days since 1970-01-01).
    pub(crate) const fn get(self) -> i64 {
        self.0
    }

    /// The day holding `secs`, read as seconds since 1970-01-01T00:00 of the
    /// same clock (UTC seconds give the UTC day, wall-clock seconds the local one).
    pub(crate) const fn containing(secs: i64) -> Day {
        Day(secs.div_euclid(DAY))
    }

    /// This day's 00:00, in seconds since 1970-01-01T00:00 of its clock.
    pub(crate) const fn start(self) -> i64 {
        self.0 * DAY
    }

    /// The date of this day; `None` only beyond chrono's range (about
    /// ±262,000 years), far outside the years the walks reach.
    pub(crate) fn date(self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(self.0 + EPOCH_FROM_CE).ok()?)
    }

    /// The weekday as an index into a week, Monday = 0 (1970-01-01 was a Thursday).
    pub(crate) const fn weekday(self) -> usize {
        (self.0 + 3).rem_euclid(7) as usize
    }

    /// The proleptic Gregorian year holding this day (the year part of
    /// H. Hinnant's `civil_from_days`, without a loop: every walk asks it
    /// once when its cursor first meets a year).
    pub(crate) fn year(self) -> i64 {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        // Months count from March: January and February (mp 10, 11) belong
        // to the next civil year.
        let mp = (5 * doy + 2) / 153;
        yoe + era * 400 + i64::from(mp >= 10)
    }

    /// 1 January of proleptic Gregorian `year` (H. Hinnant's `days_from_civil`).
    pub(crate) const fn jan1(year: i64) -> Day {
        Day::from_civil(year, 1, 1)
    }

    /// The day of a proleptic Gregorian date given as numbers, for any year
    /// (H. Hinnant's `days_from_civil`); `m` is 1..=12, `d` 1..=31.
    pub(crate) const fn from_civil(y: i64, m: i64, d: i64) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }
}

impl From<NaiveDate> for Day {
    fn from(date: NaiveDate) -> Day {
        Day(i64::from(date.num_days_from_ce()) - EPOCH_FROM_CE)
    }
}

impl Add<i64> for Day {
    type Output = Day;
    fn add(self, days: i64) -> Day {
        Day(self.0 + days)
    }
}

impl AddAssign<i64> for Day {
    fn add_assign(&mut self, days: i64) {
        self.0 += days;
    }
}

impl Sub<i64> for Day {
    type Output = Day;
    fn sub(self, days: i64) -> Day {
        Day(self.0 - days)
    }
}

impl Sub for Day {
    type Output = i64;
    /// Days from `other` to `self`.
    fn sub(self, other: Day) -> i64 {
        self.0 - other.0
    }
}

/// A length of working time, in real seconds: what a window, a day or a week
/// of a calendar holds, and what a walk counts.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkSpan(i64);

impl WorkSpan {
    /// No working time.
    pub const ZERO: WorkSpan = WorkSpan(0);

    /// `secs` working seconds.
    pub const fn new(secs: i64) -> WorkSpan {
        WorkSpan(secs)
    }

    /// The number of seconds.
    pub const fn secs(self) -> i64 {
        self.0
    }
}

impl Add for WorkSpan {
    type Output = WorkSpan;
    fn add(self, other: WorkSpan) -> WorkSpan {
        WorkSpan(self.0 + other.0)
    }
}

impl AddAssign for WorkSpan {
    fn add_assign(&mut self, other: WorkSpan) {
        self.0 += other.0;
    }
}

impl Sub for WorkSpan {
    type Output = WorkSpan;
    fn sub(self, other: WorkSpan) -> WorkSpan {
        WorkSpan(self.0 - other.0)
    }
}

impl SubAssign for WorkSpan {
    fn sub_assign(&mut self, other: WorkSpan) {
        self.0 -= other.0;
    }
}

impl std::iter::Sum for WorkSpan {
    fn sum<I: Iterator<Item = WorkSpan>>(iter: I) -> WorkSpan {
        WorkSpan(iter.map(WorkSpan::secs).sum())
    }
}

/// An instant: seconds since 1970-01-01T00:00:00Z (UTC, leap seconds not
/// counted, as Unix time). What a deadline, an opening or "now" is.
///
/// ```
/// use slacalc::Timestamp;
/// let t = Timestamp::from_secs(1_795_690_800); // 2026-11-26T11:00:00Z
/// assert_eq!(t.secs(), 1_795_690_800);
/// assert!(t < Timestamp::from_secs(1_795_690_801));
/// ```
#[repr(transparent)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    #[must_use]
    pub const fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    #[must_use]
    pub const fn secs(self) -> i64 {
        self.0
    }
}

impl From<Timestamp> for i64 {
    fn from(t: Timestamp) -> i64 {
        t.0
    }
}

/// A wall-clock time in some zone, as seconds since 1970-01-01T00:00 of that
/// zone's local time line (no offset applied): what a person types, and
/// what a calendar's window edges are before the zone makes them instants. Not an instant: the same `LocalSeconds` is a different
/// [`Timestamp`] in each zone, and none or two across a DST change.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalSeconds(i64);

impl LocalSeconds {
    /// The wall-clock time `secs` seconds after local 1970-01-01T00:00.
    #[must_use]
    pub const fn from_secs(secs: i64) -> LocalSeconds {
        LocalSeconds(secs)
    }

    /// Seconds since local 1970-01-01T00:00.
    #[must_use]
    pub const fn secs(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_and_dates_agree() {
        for (y, m, d) in [(1583, 1, 1), (1969, 12, 31), (1970, 1, 1), (2026, 3, 29), (2100, 1, 1), (9999, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let day = Day::from(date);
            assert_eq!(day, Day::from_civil(i64::from(y), i64::from(m), i64::from(d)));
            assert_eq!(day.date(), Some(date));
            assert_eq!(day.year(), i64::from(y));
            assert_eq!(day.weekday(), date.weekday().num_days_from_monday() as usize);
        }
        assert_eq!(Day::jan1(1970), Day::new(0));
        assert_eq!(Day::containing(-1), Day::new(-1));
        assert_eq!(Day::new(i64::MAX / DAY).date(), None);
    }

    #[test]
    fn year_matches_chrono_on_every_day_around_each_new_year() {
        for y in (1583..=9999).step_by(7).chain(1995..=2105) {
            let jan1 = Day::jan1(y);
            for d in -3..=3 {
                let day = jan1 + d;
                assert_eq!(Some(day.year()), day.date().map(|x| i64::from(x.year())), "{y} {d}");
            }
        }
    }
}
