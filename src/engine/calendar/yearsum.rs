//! A year's total working time and the UTC span it lies in, so a long walk
//! (issue 14: a million business days, or 1583 to 9999) crosses a whole year
//! in one step instead of fifty-two week steps, and without the week table.
//!
//! The total is the exact sum, over the year's local days, of the working
//! time of the windows that start on each day (the walks' rule: an overnight
//! window belongs to the day it starts on). It is computed from counts:
//! each weekday's length times how often it occurs, then corrected day by
//! day for the few days that differ from their weekday: holidays, exact and
//! recurring overrides, and days an offset change touches (those are worked
//! out exactly, as the day walk does). Every other day works exactly its
//! weekday's windows, so the sum is exact, not an estimate.

use super::Calendar;
use super::year::{EAST, WEST, YearInfo};
use crate::engine::day::{DAY, Day, WorkSpan};
use crate::engine::segment::Segment;

/// One local year of a calendar, as a walk skips it whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YearSum {
    /// The local day after the year's last (next year's 1 January).
    pub end: Day,
    /// A UTC span holding every window that starts in the year: from two
    /// days before its wall-clock start to two days after its end plus the
    /// longest overnight tail (wider than any offset, so a bound for
    /// every zone; a wider span only makes walks take the year a little later).
    pub span: Segment,
    /// Working time of the windows that start on the year's days.
    pub work: WorkSpan,
}

impl YearSum {
    /// A placeholder, replaced as soon as the year table is built.
    pub(super) const EMPTY: YearSum =
        YearSum { end: Day::new(0), span: Segment { start: 0, end: 0 }, work: WorkSpan::ZERO };
}

impl YearSum {
    /// The year from local day `first` to `end` (exclusive), working `work`.
    pub(super) fn new(cal: &Calendar, first: Day, end: Day, work: WorkSpan) -> YearSum {
        let span = Segment::new(first.start() - 2 * DAY, end.start() + i64::from(cal.max_tail()) + 2 * DAY);
        YearSum { end, span, work }
    }
}

/// The sum of `info`'s year on `cal` (see the module docs). `special` holds
/// the year's holidays and recurring overrides (repeats allowed); returned
/// with the exact overrides and offset-change days added, sorted.
pub(super) fn year_sum(cal: &Calendar, info: &YearInfo, mut special: Vec<Day>) -> (YearSum, Vec<Day>) {
    let (first, end) = info.days();
    let lens = weekday_lens(cal);
    // Weekday counts: 52 each, and one more for the first `n % 7` weekdays
    // from 1 January's.
    let n = end - first;
    let w0 = first.weekday();
    let mut total: i64 = (0..7).map(|wd| lens[wd] * (n / 7 + i64::from((((wd + 7 - w0) % 7) as i64) < n % 7))).sum();
    special.extend(cal.override_days(first, end));
    if !cal.is_always() {
        let reach = cal.reach_days();
        for &(t, _) in info.transitions() {
            let (lo, hi) = (Day::containing(t - WEST) - reach - 1, Day::containing(t + EAST) + 1);
            special.extend(
                (lo.get()..=hi.get())
                    .map(Day::new)
                    .filter(|&d| info.contains(d) && info.offset_over(d, reach).is_none()),
            );
        }
    }
    special.sort_unstable();
    special.dedup();
    for &d in &special {
        total += cal.day_work(d, info).secs() - lens[d.weekday()];
    }
    (YearSum::new(cal, first, end, WorkSpan::new(total)), special)
}

/// Working seconds of each weekday's windows, Monday first.
pub(super) fn weekday_lens(cal: &Calendar) -> [i64; 7] {
    std::array::from_fn(|wd| cal.week()[wd].iter().map(|w| w.len().secs()).sum())
}
