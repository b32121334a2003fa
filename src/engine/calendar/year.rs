//! What a calendar looks like in one local year: holidays by day of the
//! year, the zone's offset changes, the year's total working time, and a
//! table of its whole weeks (Monday to Sunday) with running sums, so a walk
//! crosses many weeks with one binary search. Computed once per calendar and
//! year, shared through [`crate::engine::calendar::cursor::YearCursor`]; the week
//! table only when a walk first asks for it, as a walk that skips the whole
//! year (see [`crate::engine::calendar::yearsum`]) never does.

use std::sync::OnceLock;

use chrono::Datelike;

use super::Calendar;
use super::yearsum::{self, YearSum};
use crate::engine::day::{Day, WorkSpan};
use crate::engine::holiday::{self, HolidayRule};
use crate::engine::segment::Segment;
use crate::engine::zone;

/// How far a local day reaches before its wall-clock midnight, in UTC: the
/// largest offset east of Greenwich (+14 h).
pub(super) const EAST: i64 = 14 * 3600;
/// How far it reaches after its wall-clock end: the largest offset west (-12 h).
pub(super) const WEST: i64 = 12 * 3600;
/// Days either side of the year the offset table covers, so an instant near
/// New Year finds its offset in its UTC day's year.
const MARGIN_DAYS: i64 = 3;
/// Seconds in a day, as windows count them.
const DAY_SECS: u32 = 86_400;

/// One Monday-to-Sunday week of a year's table, DST weeks included (their
/// span and work are exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Week {
    /// Its Monday.
    pub monday: Day,
    /// Its UTC span, Monday 00:00 to the next Monday 00:00.
    pub span: Segment,
    /// Working time in it.
    pub work: WorkSpan,
    /// Working time of the year's weeks up to and including this one.
    pub cum: WorkSpan,
}

/// One calendar's facts for one local year (see the module docs).
#[derive(Debug)]
pub(crate) struct YearInfo {
    first_day: Day,
    end_day: Day,
    /// Holiday rule index + 1 for each day of the year (0: no holiday).
    holidays: Vec<u16>,
    /// Recurring override index + 1 for each day of the year (0: none);
    /// empty when the calendar has no recurring override.
    recurring: Vec<u16>,
    /// UTC instants at which the offset changes, with the offset from then on.
    transitions: Vec<(i64, i64)>,
    /// Offset before the first transition.
    base_offset: i64,
    /// Monday of `weeks[0]`.
    first_monday: Day,
    /// Every whole week of the year, built on first use.
    weeks: OnceLock<Vec<Week>>,
    /// The year's working time and span, for walks that skip it whole.
    sum: YearSum,
    /// The working segments of each day of the year, in UTC and in day
    /// order, so the walks' day step is one slice of this table instead of
    /// an override map look-up, two table reads and a search of the offset
    /// changes (and no wall-clock resolution on a DST day).
    /// Built on the first day step into the year, like `weeks`: a walk that
    /// skips the year whole (or only takes its weeks) never pays for it.
    days: OnceLock<DayTable>,
}

/// The working segments of each day of a year (see [`YearInfo::day_segments`]).
#[derive(Debug)]
struct DayTable {
    segments: Vec<Segment>,
    /// Where each day's segments start in `segments`, and one past the
    /// year's last day: day `i` has `segments[day_starts[i]..day_starts[i + 1]]`.
    day_starts: Vec<u32>,
    /// Working seconds of the year's days before day `i` (the whole year's
    /// last): days `a..b` work `work_before[b] - work_before[a]`.
    work_before: Vec<i64>,
    /// The latest end of a segment of day `i` or a day before it (`i64::MIN`
    /// before the first segment): never decreasing, so a walk finds the whole
    /// days that end before an instant by a binary search.
    end_by: Vec<i64>,
    /// Working seconds of the segments before segment `i` (one entry more
    /// than segments), for [`YearLine`].
    cum: Vec<i64>,
    /// Whether each segment ends by the next one's start (see [`YearLine`]).
    ordered: bool,
    /// End of the last segment that is not empty (`i64::MIN`: none).
    last_end: i64,
}

/// A year's working segments in time order, with their running sums: a walk
/// that stays within the year is answered from them by binary searches
/// ([`crate::engine::status_walk`]), not day by day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct YearLine<'a> {
    /// Where each day's segments start in `segments`, and one past the last.
    pub day_starts: &'a [u32],
    /// The segments of the year's days, in day order and in time order:
    /// each ends by the next one's start.
    pub segments: &'a [Segment],
    /// Working seconds of the segments before each one (one entry more).
    pub cum: &'a [i64],
    /// End of the last segment that is not empty (`i64::MIN`: none).
    pub last_end: i64,
}

/// Whole days of a year's table from one day on, for a walk that counts
/// them at once (see [`YearInfo::day_run`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DayRun<'a> {
    /// Start of the first segment of the run (`None`: no segment in it).
    pub first_start: Option<i64>,
    /// Working seconds before each day of the run, from the run's start
    /// (one entry more than days): days `0..n` work `work_before[n] - work_before[0]`.
    pub work_before: &'a [i64],
    /// [`DayTable`]'s `end_by` for each day of the run.
    pub end_by: &'a [i64],
}

impl YearInfo {
    /// The table of `cal` for proleptic Gregorian `year`.
    pub(super) fn compute(cal: &Calendar, year: i64) -> YearInfo {
        Self::compute_with(cal, year, |_| true, false).0
    }

    /// The table of `cal` for `year` with only the holiday rules `keep`
    /// accepts, and the days its sum corrected (holidays, recurring and
    /// exact overrides, offset changes), sorted: for
    /// [`crate::engine::calendar::shapes`]. `steady`: as if the zone kept one
    /// offset all year (no change; which offset changes no sum).
    pub(super) fn compute_with(
        cal: &Calendar,
        year: i64,
        keep: impl Fn(&HolidayRule) -> bool,
        steady: bool,
    ) -> (YearInfo, Vec<Day>) {
        let (first_day, end_day) = (Day::jan1(year), Day::jan1(year + 1));
        // 365 or 366 days.
        let mut holidays = vec![0u16; (end_day - first_day) as usize];
        // The days that may work other than their weekday, for the year's sum.
        let mut special = Vec::with_capacity(16);
        // Holiday rules give dates in 1583..=9999 only, all inside `i32`.
        if let Ok(y) = i32::try_from(year) {
            // Rule by rule: on a date two rules give, the later rule's name
            // stands, as in the sorted `holiday::dates_in`.
            holiday::each_date_in(cal.holidays(), y, |date, i| {
                if !cal.holidays().get(i).is_some_and(|h| keep(&h.rule)) {
                    return;
                }
                // Every index fits: `Calendar::new` refuses more than `MAX_HOLIDAYS` rules.
                if let (Some(slot), Ok(n)) = (holidays.get_mut(date.ordinal0() as usize), u16::try_from(i + 1)) {
                    *slot = n;
                    special.push(first_day + i64::from(date.ordinal0()));
                }
            });
        }
        let mut recurring = Vec::new();
        if !cal.recurring().is_empty() {
            recurring = vec![0u16; holidays.len()];
            for (i, ((m, d), _)) in cal.recurring().iter().enumerate() {
                let Ok(y) = i32::try_from(year) else { break };
                // `02-29` only in leap years; at most 366 entries, so every index fits.
                if let (Some(date), Ok(n)) = (chrono::NaiveDate::from_ymd_opt(y, *m, *d), u16::try_from(i + 1))
                    && let Some(slot) = recurring.get_mut(date.ordinal0() as usize)
                {
                    *slot = n;
                    special.push(first_day + i64::from(date.ordinal0()));
                }
            }
        }
        let (lo, hi) = offset_span(year);
        let (base_offset, transitions) =
            if cal.is_always() || steady { (0, Vec::new()) } else { cal.transitions(lo, hi) };
        let mut info = YearInfo {
            first_day,
            end_day,
            holidays,
            recurring,
            transitions,
            base_offset,
            first_monday: first_day + (7 - first_day.weekday() as i64) % 7,
            weeks: OnceLock::new(),
            sum: YearSum::EMPTY,
            days: OnceLock::new(),
        };
        let (sum, special) = yearsum::year_sum(cal, &info, special);
        info.sum = sum;
        (info, special)
    }

    /// The table of the year's whole weeks (see [`Week`]).
    fn build_weeks(&self, cal: &Calendar) -> Vec<Week> {
        let info = self;
        let mut weeks = Vec::with_capacity(53);
        let end_day = self.end_day;
        let mut cum = WorkSpan::ZERO;
        let mut monday = self.first_monday;
        // A week's work is that of the windows starting in it: the Sunday's
        // overnight window reaches into the next Monday, and the week's span
        // reaches as far as any window can (an upper bound, which only makes
        // the walks take a week whole a little later).
        let tail = cal.max_tail();
        let reach = cal.reach_days() - 1;
        while monday + 7 <= end_day {
            let days = (0..7).map(|i| monday + i);
            let (work, span) = match info.offset_over(monday, 7 + reach) {
                Some(off) => (
                    days.map(|d| cal.steady_day_work(d, info)).sum(),
                    Segment::new(monday.start() - off, (monday + 7).start() + i64::from(tail) - off),
                ),
                // A DST week: exact, day by day, once per year.
                None => (
                    days.map(|d| cal.day_work(d, info)).sum(),
                    Segment::new(cal.resolve(monday, 0), cal.resolve_boundary(monday + 6, DAY_SECS + tail)),
                ),
            };
            cum += work;
            weeks.push(Week { monday, span, work, cum });
            monday += 7;
        }
        weeks
    }

    /// The year's first and end (next year's first) days.
    pub(crate) fn days(&self) -> (Day, Day) {
        (self.first_day, self.end_day)
    }

    /// The year's working time and span.
    pub(crate) fn sum(&self) -> &YearSum {
        &self.sum
    }

    /// The offset changes of the year's table (three days either side of
    /// the year included).
    pub(crate) fn transitions(&self) -> &[(i64, i64)] {
        &self.transitions
    }

    /// True when `day` lies in this year.
    pub(crate) fn contains(&self, day: Day) -> bool {
        day >= self.first_day && day < self.end_day
    }

    /// Index of the recurring override that falls on `day`, if any.
    pub(crate) fn recurring_at(&self, day: Day) -> Option<usize> {
        let i = usize::try_from(day - self.first_day).ok()?;
        match self.recurring.get(i) {
            Some(&n) if n > 0 => Some(usize::from(n) - 1),
            _ => None,
        }
    }

    /// Index of the holiday rule that falls on `day`, if any.
    pub(crate) fn holiday_at(&self, day: Day) -> Option<usize> {
        let i = usize::try_from(day - self.first_day).ok()?;
        match self.holidays.get(i) {
            Some(&n) if n > 0 => Some(usize::from(n) - 1),
            _ => None,
        }
    }

    /// The working segments of `day` in UTC (see [`Calendar::segments_on`]),
    /// from the day table; `None` when `day` lies outside the year.
    #[inline]
    pub(crate) fn day_segments(&self, cal: &Calendar, day: Day) -> Option<&[Segment]> {
        let i = usize::try_from(day - self.first_day).ok()?;
        let t = self.days.get_or_init(|| day_table(cal, self));
        let (&from, &to) = (t.day_starts.get(i)?, t.day_starts.get(i + 1)?);
        t.segments.get(from as usize..to as usize)
    }

    /// The year's segments as one [`YearLine`]; `None` when they are not in
    /// time order (a day's window reaching into the next day's, which
    /// calendars refuse in wall-clock time, but a zone's offset change could
    /// still bring about in UTC): the walks then go day by day.
    pub(crate) fn line(&self, cal: &Calendar) -> Option<YearLine<'_>> {
        let t = self.days.get_or_init(|| day_table(cal, self));
        t.ordered.then_some(YearLine {
            day_starts: &t.day_starts,
            segments: &t.segments,
            cum: &t.cum,
            last_end: t.last_end,
        })
    }

    /// The days `day..until` (both within the year, `day` before `until`)
    /// as one [`DayRun`]; `None` outside the year.
    pub(crate) fn day_run(&self, cal: &Calendar, day: Day, until: Day) -> Option<DayRun<'_>> {
        let (i, j) = (usize::try_from(day - self.first_day).ok()?, usize::try_from(until - self.first_day).ok()?);
        let t = self.days.get_or_init(|| day_table(cal, self));
        let (&from, &to) = (t.day_starts.get(i)?, t.day_starts.get(j)?);
        Some(DayRun {
            first_start: if from < to { t.segments.get(from as usize).map(|s| s.start) } else { None },
            work_before: t.work_before.get(i..=j)?,
            end_by: t.end_by.get(i..j)?,
        })
    }

    /// The year's weeks from Monday `monday` to the year's end (empty when
    /// `monday` starts no week of this year's table).
    pub(crate) fn weeks_from(&self, cal: &Calendar, monday: Day) -> &[Week] {
        let off = monday - self.first_monday;
        if off < 0 || off % 7 != 0 {
            return &[];
        }
        self.weeks.get_or_init(|| self.build_weeks(cal)).get((off / 7) as usize..).unwrap_or(&[])
    }

    /// The offset at `t`, which must lie within the year's table, and the UTC
    /// span `[from, to)` over which the table holds it.
    pub(crate) fn offset_span(&self, t: i64) -> (i64, i64, i64) {
        let i = self.transitions.partition_point(|&(at, _)| at <= t);
        let from = if i == 0 { (self.first_day - MARGIN_DAYS).start() } else { self.transitions[i - 1].0 };
        let to = self.transitions.get(i).map_or((self.end_day + MARGIN_DAYS).start(), |&(at, _)| at);
        let off = if i == 0 { self.base_offset } else { self.transitions[i - 1].1 };
        (off, from, to)
    }

    /// The offset at instant `t`, which must lie within the year's table.
    pub(crate) fn offset_at(&self, t: i64) -> i64 {
        let i = self.transitions.partition_point(|&(at, _)| at <= t);
        if i == 0 { self.base_offset } else { self.transitions[i - 1].1 }
    }

    /// The constant offset over the `n` local days from `first` (whatever
    /// their offset, in UTC they lie within `[00:00 - 14 h, 24:00 + 12 h]`),
    /// or `None` when it changes there.
    pub(crate) fn offset_over(&self, first: Day, n: i64) -> Option<i64> {
        let (a, b) = (first.start() - EAST, (first + n).start() + WEST);
        let mut off = self.base_offset;
        for &(t, o) in &self.transitions {
            if t <= a {
                off = o;
            } else if t <= b {
                return None;
            } else {
                break;
            }
        }
        Some(off)
    }
}

/// The day table of `info` (see [`YearInfo::day_segments`]): each day's
/// segments by [`Calendar::segments_by_rules`], from `info`'s holidays,
/// recurring overrides and offset changes.
fn day_table(cal: &Calendar, info: &YearInfo) -> DayTable {
    let days = (info.end_day - info.first_day) as usize;
    let mut segments = Vec::with_capacity(2 * days);
    let mut day_starts = Vec::with_capacity(days + 1);
    let mut day = info.first_day;
    // A year holds a few thousand segments at most, far below `u32::MAX`.
    let at = |segments: &Vec<Segment>| u32::try_from(segments.len()).unwrap_or(u32::MAX);
    let mut work_before = Vec::with_capacity(days + 1);
    let mut end_by = Vec::with_capacity(days);
    let (mut work, mut end) = (0, i64::MIN);
    while day < info.end_day {
        day_starts.push(at(&segments));
        work_before.push(work);
        let first = segments.len();
        cal.segments_by_rules(day, info, &mut segments);
        for s in &segments[first..] {
            work += s.duration();
            end = end.max(s.end);
        }
        end_by.push(end);
        day += 1;
    }
    day_starts.push(at(&segments));
    work_before.push(work);
    let mut cum = Vec::with_capacity(segments.len() + 1);
    let mut sum = 0;
    cum.push(sum);
    for s in &segments {
        sum += s.duration();
        cum.push(sum);
    }
    let ordered = segments.iter().all(|s| s.start <= s.end) && segments.windows(2).all(|w| w[0].end <= w[1].start);
    let last_end = segments.iter().rev().find(|s| !s.is_empty()).map_or(i64::MIN, |s| s.end);
    DayTable { segments, day_starts, work_before, end_by, cum, ordered, last_end }
}

/// The UTC span whose offset changes a year table holds: the year's wall
/// clock days and [`MARGIN_DAYS`] either side.
pub(super) fn offset_span(year: i64) -> (i64, i64) {
    ((Day::jan1(year) - MARGIN_DAYS).start(), (Day::jan1(year + 1) + MARGIN_DAYS).start())
}

/// The constant offset of `tz` over local day `day`, from two zone look-ups
/// (no year table), or `None` when it changes during the day.
pub(crate) fn day_offset_uncached(tz: chrono_tz::Tz, day: Day) -> Option<i64> {
    let a = zone::offset_at(tz, day.start() - EAST);
    let b = zone::offset_at(tz, (day + 1).start() + WEST);
    (a == b).then_some(a)
}
