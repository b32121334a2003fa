//! A working calendar: a time zone, a weekly pattern of wall-clock windows,
//! holiday rules and per-date overrides. It turns local dates into UTC
//! [`Segment`]s; the walks in [`crate::engine::timeline`] consume them.
//!
//! DST policy (SPEC §2): windows are wall-clock times and durations are real
//! seconds. A boundary in a gap moves to the end of the gap; one in a fold
//! takes its first occurrence, and the span between the two boundaries is
//! worked in full. So a 01:00–04:00 window lasts 2 h on the spring-forward
//! day and 4 h on the fall-back day (02:00–03:00 happens twice and is worked
//! twice), and `00:00-24:00` lasts 25 h that day.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::holiday::{self, Holiday, HolidayRule};
use super::segment::Segment;
use super::zone::Local;

/// Seconds in a civil day.
pub const DAY: i64 = 86_400;

/// One wall-clock window of a day, `[start, end)` in seconds since local
/// midnight; `end` may be 86 400 (`24:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    /// Seconds after local midnight.
    pub start: u32,
    /// Seconds after local midnight, at most 86 400.
    pub end: u32,
}

impl Window {
    /// Parses `HH:MM-HH:MM` (end may be `24:00`).
    ///
    /// # Errors
    /// A message naming the value when it is malformed, out of range or empty.
    pub fn parse(s: &str) -> Result<Window, String> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| format!("invalid interval \"{s}\" (expected HH:MM-HH:MM, e.g. 09:00-12:00)"))?;
        let start = parse_hhmm(a.trim(), false).map_err(|e| format!("{e} in interval \"{s}\""))?;
        let end = parse_hhmm(b.trim(), true).map_err(|e| format!("{e} in interval \"{s}\""))?;
        if end <= start {
            return Err(format!(
                "interval \"{s}\" ends before it starts (end must be after start; use 24:00 for midnight)"
            ));
        }
        Ok(Window { start, end })
    }

    /// Length in wall-clock seconds.
    pub fn len(&self) -> i64 {
        i64::from(self.end - self.start)
    }

    /// True when the window holds no time (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = |s: u32| format!("{:02}:{:02}", s / 3600, s / 60 % 60);
        write!(f, "{}-{}", p(self.start), p(self.end))
    }
}

fn parse_hhmm(s: &str, allow_24: bool) -> Result<u32, String> {
    let bad =
        || format!("invalid time \"{s}\" (expected HH:MM from 00:00 to {})", if allow_24 { "24:00" } else { "23:59" });
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)) {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

/// What a date is, on a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind<'a> {
    /// Its weekday's usual windows.
    Regular,
    /// A holiday: no working time. Carries the holiday's name.
    Holiday(&'a str),
    /// A date override replaces the weekday's windows.
    Override(&'a [Window]),
}

/// A working calendar. Build one with [`Calendar::new`] or [`Calendar::always`];
/// both validate, so the walks never meet a calendar without working time.
///
/// Internally days are plain day numbers (days since 1970-01-01, local): the
/// walks add and compare them, and only the rare slow paths build dates.
#[derive(Debug)]
pub struct Calendar {
    id: String,
    tz: Tz,
    week: [Vec<Window>; 7],
    day_len: [i64; 7],
    holidays: Vec<Holiday>,
    overrides: BTreeMap<NaiveDate, Vec<Window>>,
    overrides_by_day: BTreeMap<i64, Vec<Window>>,
    business_day: i64,
    week_len: i64,
    always: bool,
    /// Holidays, DST changes and plain-week tables per local year, filled on
    /// first use and shared by every walk (and every `batch` row).
    years: Mutex<HashMap<i32, Arc<YearInfo>>>,
}

impl Clone for Calendar {
    fn clone(&self) -> Calendar {
        Calendar {
            id: self.id.clone(),
            tz: self.tz,
            week: self.week.clone(),
            day_len: self.day_len,
            holidays: self.holidays.clone(),
            overrides: self.overrides.clone(),
            overrides_by_day: self.overrides_by_day.clone(),
            business_day: self.business_day,
            week_len: self.week_len,
            always: self.always,
            years: Mutex::new(HashMap::new()),
        }
    }
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// Two windows of one day overlap.
    Overlap(String),
    /// No working time in a normal week.
    NoWorkingTime,
    /// Working days differ in length and no `business_day` was given.
    UnequalDays(String),
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::Overlap(s) => write!(f, "overlapping intervals: {s}"),
            CalendarError::NoWorkingTime => f.write_str(
                "the calendar has no working time (no hours in the week, or every working day is a holiday)",
            ),
            CalendarError::UnequalDays(s) => write!(
                f,
                "working days differ in length ({s}): declare business_day = \"…\" (e.g. \"8h\") so \"bd\" targets have a meaning"
            ),
        }
    }
}

/// Short weekday names, Monday first, as plan files spell them.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Calendar {
    /// Builds a calendar. `week[0]` is Monday. Windows of each day are sorted
    /// here; overlaps, an empty week and unequal days without `business_day`
    /// are errors.
    ///
    /// # Errors
    /// [`CalendarError`] naming what is wrong.
    pub fn new(
        id: impl Into<String>,
        tz: Tz,
        mut week: [Vec<Window>; 7],
        holidays: Vec<Holiday>,
        mut overrides: BTreeMap<NaiveDate, Vec<Window>>,
        business_day: Option<i64>,
    ) -> Result<Calendar, CalendarError> {
        for (i, day) in week.iter_mut().enumerate() {
            check_windows(day).map_err(|(a, b)| CalendarError::Overlap(format!("{} {a} and {b}", WEEKDAYS[i])))?;
        }
        for (date, day) in &mut overrides {
            check_windows(day).map_err(|(a, b)| CalendarError::Overlap(format!("{date} {a} and {b}")))?;
        }
        let lens: Vec<i64> = week.iter().map(|d| d.iter().map(Window::len).sum()).collect();
        let week_len: i64 = lens.iter().sum();
        if week_len == 0 {
            return Err(CalendarError::NoWorkingTime);
        }
        let working: Vec<(usize, i64)> = lens.iter().copied().enumerate().filter(|&(_, l)| l > 0).collect();
        let opens_on_some_date = overrides.values().any(|w| !w.is_empty());
        if !opens_on_some_date && working.iter().all(|&(wd, _)| every_one_a_holiday(wd, &holidays)) {
            return Err(CalendarError::NoWorkingTime);
        }
        let business_day = match business_day {
            Some(b) => b,
            None if working.iter().all(|&(_, l)| l == working[0].1) => working[0].1,
            None => {
                let desc: Vec<String> = working
                    .iter()
                    .map(|&(i, l)| format!("{} {}", WEEKDAYS[i], super::duration::format_duration(l)))
                    .collect();
                return Err(CalendarError::UnequalDays(desc.join(", ")));
            }
        };
        let day_len: [i64; 7] = std::array::from_fn(|i| lens[i]);
        let overrides_by_day = overrides.iter().map(|(d, w)| (days_since_epoch(*d), w.clone())).collect();
        Ok(Calendar {
            id: id.into(),
            tz,
            week,
            day_len,
            holidays,
            overrides,
            overrides_by_day,
            business_day,
            week_len,
            always: false,
            years: Mutex::new(HashMap::new()),
        })
    }

    /// The 24x7 calendar: every instant is working time (real seconds, no
    /// holidays); a business day is 24 h.
    pub fn always() -> Calendar {
        let full = || vec![Window { start: 0, end: DAY as u32 }];
        Calendar {
            id: "24x7".into(),
            tz: Tz::UTC,
            week: [full(), full(), full(), full(), full(), full(), full()],
            day_len: [DAY; 7],
            holidays: vec![],
            overrides: BTreeMap::new(),
            overrides_by_day: BTreeMap::new(),
            business_day: DAY,
            week_len: 7 * DAY,
            always: true,
            years: Mutex::new(HashMap::new()),
        }
    }

    /// The calendar's id in its plan file (`24x7` for [`Calendar::always`]).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The zone whose wall clock the windows are read in.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// True for the 24x7 calendar.
    pub fn is_always(&self) -> bool {
        self.always
    }

    /// Length of one business day, in working seconds.
    pub fn business_day(&self) -> i64 {
        self.business_day
    }

    /// Working seconds in a normal week (no holiday, override or DST change).
    pub fn week_len(&self) -> i64 {
        self.week_len
    }

    /// The weekly windows, Monday first.
    pub fn week(&self) -> &[Vec<Window>; 7] {
        &self.week
    }

    /// The holiday rules.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The date overrides.
    pub fn overrides(&self) -> &BTreeMap<NaiveDate, Vec<Window>> {
        &self.overrides
    }

    /// Local calendar date of an instant in this calendar's zone.
    pub fn local_date(&self, t: i64) -> Option<NaiveDate> {
        date_of(self.local_day(t))
    }

    /// Local day number (days since 1970-01-01) of an instant.
    pub fn local_day(&self, t: i64) -> i64 {
        (t + self.offset_at(t)).div_euclid(DAY)
    }

    /// Like [`Calendar::local_day`], answered from the year cache.
    pub fn local_day_cached(&self, t: i64, cache: &mut HolidayCache) -> i64 {
        if self.always {
            return t.div_euclid(DAY);
        }
        // The UTC day's year holds the offset changes around `t` (its table
        // reaches three days past either end of the year).
        let off = cache.for_day(self, t.div_euclid(DAY)).offset_at(t);
        (t + off).div_euclid(DAY)
    }

    /// The offset at `t` and the UTC span `[from, to)` over which it holds,
    /// from the year cache (the span may be shorter than the real one).
    pub fn offset_span(&self, t: i64, cache: &mut HolidayCache) -> (i64, i64, i64) {
        if self.always {
            return (0, i64::MIN, i64::MAX);
        }
        let info = cache.for_day(self, t.div_euclid(DAY));
        let i = info.transitions.partition_point(|&(at, _)| at <= t);
        let from = if i == 0 { (info.first_day - 3) * DAY } else { info.transitions[i - 1].0 };
        let to = info.transitions.get(i).map_or((info.end_day + 3) * DAY, |&(at, _)| at);
        let off = if i == 0 { info.base_offset } else { info.transitions[i - 1].1 };
        (off, from.min(t), to.max(t + 1))
    }

    /// UTC offset in seconds at instant `t`.
    pub fn offset_at(&self, t: i64) -> i64 {
        if self.always {
            return 0;
        }
        super::zone::offset_at(self.tz, t)
    }

    /// The UTC instant of local midnight (wall clock 00:00, by the DST policy)
    /// of `date`.
    pub fn midnight(&self, date: NaiveDate) -> i64 {
        self.resolve(date, 0)
    }

    /// The constant UTC offset over local day `day`, or `None` when the zone
    /// changes offset during it (a DST day).
    fn day_offset(&self, day: i64, cursor: &mut HolidayCache) -> Option<i64> {
        if self.always {
            return Some(0);
        }
        // The local day spans at most [local0 - 14 h, local0 + 24 h + 12 h] in UTC.
        let local0 = day * DAY;
        cursor.for_day(self, day).stable_offset(local0 - 14 * 3600, local0 + DAY + 12 * 3600)
    }

    /// Like [`Calendar::day_offset`] without a cursor: two zone look-ups.
    fn day_offset_uncached(&self, day: i64) -> Option<i64> {
        if self.always {
            return Some(0);
        }
        let local0 = day * DAY;
        let a = self.offset_at(local0 - 14 * 3600);
        let b = self.offset_at(local0 + DAY + 12 * 3600);
        (a == b).then_some(a)
    }

    /// UTC instant of wall-clock `secs` after midnight on `date`, by the DST
    /// policy: a time in a gap moves to the gap's end, one in a fold takes its
    /// first occurrence.
    pub fn resolve(&self, date: NaiveDate, secs: u32) -> i64 {
        self.resolve_day(days_since_epoch(date), secs)
    }

    fn resolve_day(&self, day: i64, secs: u32) -> i64 {
        let local = day * DAY + i64::from(secs);
        if let Some(off) = self.day_offset_uncached(day) {
            return local - off;
        }
        match super::zone::from_local(self.tz, local) {
            Local::Single(t) => t,
            Local::Ambiguous(first, _) => first,
            Local::Gap { .. } => {
                // In a gap: the first UTC instant whose wall clock is past `local`.
                let (mut lo, mut hi) = (local - 26 * 3600, local + 26 * 3600);
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if mid + self.offset_at(mid) >= local {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                lo
            }
        }
    }

    /// What `date` is on this calendar.
    pub fn day_kind<'a>(&'a self, date: NaiveDate, cache: &mut HolidayCache) -> DayKind<'a> {
        self.kind_of_day(days_since_epoch(date), cache)
    }

    /// What local day number `day` is on this calendar.
    pub fn kind_of_day<'a>(&'a self, day: i64, cache: &mut HolidayCache) -> DayKind<'a> {
        if !self.overrides_by_day.is_empty() {
            if let Some(w) = self.overrides_by_day.get(&day) {
                return DayKind::Override(w);
            }
        }
        if !self.holidays.is_empty() {
            if let Some(i) = cache.for_day(self, day).holiday_at(day) {
                return DayKind::Holiday(&self.holidays[i].name);
            }
        }
        DayKind::Regular
    }

    /// The wall-clock windows that apply on `date` (empty on a holiday).
    pub fn windows_on<'a>(&'a self, date: NaiveDate, cache: &mut HolidayCache) -> &'a [Window] {
        self.windows_of_day(days_since_epoch(date), cache)
    }

    fn windows_of_day<'a>(&'a self, day: i64, cache: &mut HolidayCache) -> &'a [Window] {
        match self.kind_of_day(day, cache) {
            DayKind::Regular => &self.week[weekday_of(day)],
            DayKind::Holiday(_) => &[],
            DayKind::Override(w) => w,
        }
    }

    /// Appends the working segments of local `date`, in UTC, to `out`.
    pub fn segments_on(&self, date: NaiveDate, cache: &mut HolidayCache, out: &mut Vec<Segment>) {
        self.segments_of_day(days_since_epoch(date), cache, out);
    }

    /// Appends the working segments of local day number `day`, in UTC, to `out`.
    pub fn segments_of_day(&self, day: i64, cache: &mut HolidayCache, out: &mut Vec<Segment>) {
        let windows = self.windows_of_day(day, cache);
        if windows.is_empty() {
            return;
        }
        let local0 = day * DAY;
        match self.day_offset(day, cache) {
            Some(off) => out.extend(
                windows
                    .iter()
                    .map(|w| Segment::new(local0 + i64::from(w.start) - off, local0 + i64::from(w.end) - off)),
            ),
            None => self.dst_day_segments(day, windows, out),
        }
    }

    /// The segments of a day on which the offset changes: each boundary
    /// resolved by the DST policy (a boundary in a gap moves to its end, one
    /// in a fold takes its first occurrence), and everything between them is
    /// worked, the fold's repeated hour included (SPEC §2: a 01:00–04:00
    /// window lasts 4 h on the fall-back day).
    fn dst_day_segments(&self, day: i64, windows: &[Window], out: &mut Vec<Segment>) {
        for w in windows {
            let s = Segment::new(self.resolve_boundary(day, w.start), self.resolve_boundary(day, w.end));
            if !s.is_empty() {
                out.push(s);
            }
        }
    }

    /// Like [`Calendar::resolve`] but `24:00` is the next day's midnight.
    fn resolve_boundary(&self, day: i64, secs: u32) -> i64 {
        if i64::from(secs) == DAY { self.resolve_day(day + 1, 0) } else { self.resolve_day(day, secs) }
    }

    /// Working seconds of local day `day` when no DST change touches it:
    /// arithmetic only.
    fn plain_day_len(&self, day: i64, year: &YearInfo) -> i64 {
        self.day_windows(day, year).iter().map(Window::len).sum()
    }

    /// The windows of `day`, with holidays from `year` (no cursor: used while
    /// the year itself is being built).
    fn day_windows<'a>(&'a self, day: i64, year: &YearInfo) -> &'a [Window] {
        if let Some(w) = self.overrides_by_day.get(&day) {
            return w;
        }
        if year.holiday_at(day).is_some() {
            return &[];
        }
        &self.week[weekday_of(day)]
    }

    /// Exact working seconds of a day on which the offset changes.
    fn dst_day_len(&self, day: i64, year: &YearInfo) -> i64 {
        let mut segs = Vec::with_capacity(4);
        self.dst_day_segments(day, self.day_windows(day, year), &mut segs);
        segs.iter().map(Segment::duration).sum()
    }
}

/// True when n-th-weekday rules make every `weekday` (0 = Monday) of every
/// month a holiday: the only way rules can close a weekday in all years.
fn every_one_a_holiday(weekday: usize, holidays: &[Holiday]) -> bool {
    (1..=12).all(|month| {
        let nths: Vec<i8> = holidays
            .iter()
            .filter_map(|h| match h.rule {
                HolidayRule::NthWeekday { month: m, weekday: w, nth }
                    if m == month && w.num_days_from_monday() as usize == weekday =>
                {
                    Some(nth)
                }
                _ => None,
            })
            .collect();
        (1..=4).all(|n| nths.contains(&n)) && (nths.contains(&5) || nths.contains(&-1))
    })
}

/// Sorts a day's windows and reports the first overlapping pair.
fn check_windows(day: &mut [Window]) -> Result<(), (Window, Window)> {
    day.sort();
    for pair in day.windows(2) {
        if pair[1].start < pair[0].end {
            return Err((pair[0], pair[1]));
        }
    }
    Ok(())
}

/// Days from 1970-01-01 to `date`.
pub fn days_since_epoch(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// The date of day number `day` (days since 1970-01-01).
pub fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + 719_163).ok()?)
}

/// Weekday of day number `day`, Monday = 0 (1970-01-01 was a Thursday).
pub fn weekday_of(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// One Monday-to-Sunday week inside a year, as the walks jump over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainWeek {
    /// Day number of its Monday.
    pub monday: i64,
    /// Its UTC span, Monday 00:00 to the next Monday 00:00.
    pub span: Segment,
    /// Working seconds in it.
    pub work: i64,
    /// Working seconds of the year's weeks up to and including this one.
    pub cum: i64,
}

/// What a calendar looks like in one local year: holidays by day of the year,
/// the zone's offset changes, and a table of its whole weeks (Monday to
/// Sunday) with running sums, so a walk crosses many weeks with one binary
/// search. Computed once per calendar and year.
#[derive(Debug)]
pub struct YearInfo {
    first_day: i64,
    end_day: i64,
    /// Holiday rule index + 1 for each day of the year (0: no holiday).
    holidays: Vec<u16>,
    /// UTC instants at which the offset changes, with the offset from then on.
    transitions: Vec<(i64, i64)>,
    /// Offset before the first transition.
    base_offset: i64,
    /// Monday of `weeks[0]`.
    first_monday: i64,
    /// Every whole week of the year (DST weeks computed exactly).
    weeks: Vec<PlainWeek>,
    /// For each week, the index of the first DST week at or after it.
    run_end: Vec<u32>,
}

impl YearInfo {
    fn compute(cal: &Calendar, year: i32) -> YearInfo {
        let day_of_year = |y| NaiveDate::from_ymd_opt(y, 1, 1).map_or(0, days_since_epoch);
        let (first_day, end_day) = (day_of_year(year), day_of_year(year + 1));
        let mut holidays = vec![0u16; usize::try_from(end_day - first_day).unwrap_or(366)];
        for (date, i) in holiday::dates_in(&cal.holidays, year) {
            if let Some(slot) = holidays.get_mut(date.ordinal0() as usize) {
                *slot = u16::try_from(i + 1).unwrap_or(u16::MAX);
            }
        }
        // Offsets are sampled every 4 days over the year and 3 days either
        // side; each change is then pinned to the second by bisection.
        let (lo, hi) = ((first_day - 3) * DAY, (end_day + 3) * DAY);
        let base_offset = cal.offset_at(lo);
        let mut transitions = Vec::new();
        if !cal.always {
            let (mut t, mut o) = (lo, base_offset);
            while t < hi {
                let next = (t + 4 * DAY).min(hi);
                if cal.offset_at(next) == o {
                    t = next;
                    continue;
                }
                let (mut a, mut b) = (t, next);
                while b - a > 1 {
                    let mid = a + (b - a) / 2;
                    if cal.offset_at(mid) == o {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                o = cal.offset_at(b);
                transitions.push((b, o));
                t = b;
            }
        }
        let mut info = YearInfo {
            first_day,
            end_day,
            holidays,
            transitions,
            base_offset,
            first_monday: first_day + (7 - weekday_of(first_day) as i64) % 7,
            weeks: Vec::new(),
            run_end: Vec::new(),
        };
        let mut cum = 0;
        let mut monday = info.first_monday;
        while monday + 7 <= end_day {
            let local0 = monday * DAY;
            let week = match info.stable_offset(local0 - 14 * 3600, local0 + 7 * DAY + 12 * 3600) {
                Some(off) => {
                    let work: i64 = (monday..monday + 7).map(|d| cal.plain_day_len(d, &info)).sum();
                    cum += work;
                    PlainWeek { monday, span: Segment::new(local0 - off, local0 + 7 * DAY - off), work, cum }
                }
                None => {
                    // A DST week: exact, day by day, once per year.
                    let work: i64 = (monday..monday + 7)
                        .map(|d| match info.stable_offset(d * DAY - 14 * 3600, (d + 1) * DAY + 12 * 3600) {
                            Some(_) => cal.plain_day_len(d, &info),
                            None => cal.dst_day_len(d, &info),
                        })
                        .sum();
                    cum += work;
                    let span = Segment::new(cal.resolve_day(monday, 0), cal.resolve_day(monday + 7, 0));
                    PlainWeek { monday, span, work, cum }
                }
            };
            info.weeks.push(week);
            monday += 7;
        }
        let mut end = info.weeks.len() as u32;
        info.run_end = vec![end; info.weeks.len()];
        for i in (0..info.weeks.len()).rev() {
            if info.weeks[i].work < 0 {
                end = i as u32;
            }
            info.run_end[i] = end;
        }
        info
    }

    /// Index of the holiday rule that falls on `date`, if any.
    pub fn holiday_on(&self, date: NaiveDate) -> Option<usize> {
        self.holiday_at(days_since_epoch(date))
    }

    /// Index of the holiday rule that falls on day number `day`, if any.
    pub fn holiday_at(&self, day: i64) -> Option<usize> {
        let i = usize::try_from(day - self.first_day).ok()?;
        match self.holidays.get(i) {
            Some(&n) if n > 0 => Some(usize::from(n) - 1),
            _ => None,
        }
    }

    /// The plain weeks from Monday `monday` up to the next DST week or the
    /// year's end (empty when `monday` starts no plain week of this year).
    pub fn plain_run(&self, monday: i64) -> &[PlainWeek] {
        let off = monday - self.first_monday;
        if off < 0 || off % 7 != 0 {
            return &[];
        }
        let k = (off / 7) as usize;
        match self.run_end.get(k) {
            Some(&end) => &self.weeks[k..end as usize],
            None => &[],
        }
    }

    /// The offset at instant `t`, which must lie within the year's table.
    fn offset_at(&self, t: i64) -> i64 {
        let i = self.transitions.partition_point(|&(at, _)| at <= t);
        if i == 0 { self.base_offset } else { self.transitions[i - 1].1 }
    }

    /// The offset over `[a, b]` when it does not change there.
    fn stable_offset(&self, a: i64, b: i64) -> Option<i64> {
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

/// Most years one calendar keeps in its cache before starting afresh.
const YEAR_CACHE: usize = 512;

/// A walk's handle on the calendar's year cache: holds the current year so
/// the shared cache is locked once per year walked, not once per day.
#[derive(Debug, Default)]
pub struct HolidayCache {
    current: Option<(i32, Arc<YearInfo>)>,
}

impl HolidayCache {
    /// An empty cursor.
    pub fn new() -> HolidayCache {
        HolidayCache::default()
    }

    /// The calendar's facts for local `year`.
    pub fn year(&mut self, cal: &Calendar, year: i32) -> &YearInfo {
        if self.current.as_ref().is_none_or(|(y, _)| *y != year) {
            let info = {
                let mut years = cal.years.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if years.len() > YEAR_CACHE {
                    years.clear();
                }
                Arc::clone(years.entry(year).or_insert_with(|| Arc::new(YearInfo::compute(cal, year))))
            };
            self.current = Some((year, info));
        }
        match &self.current {
            Some((_, info)) => info,
            None => unreachable!("set just above"),
        }
    }

    /// The calendar's facts for the year holding day number `day`.
    pub fn for_day(&mut self, cal: &Calendar, day: i64) -> &YearInfo {
        let hit = matches!(&self.current, Some((_, i)) if day >= i.first_day && day < i.end_day);
        if !hit {
            let year = date_of(day).map_or(1970, |d| d.year());
            return self.year(cal, year);
        }
        match &self.current {
            Some((_, info)) => info,
            None => unreachable!("checked just above"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_parsing() {
        assert_eq!(Window::parse("09:00-12:00"), Ok(Window { start: 32_400, end: 43_200 }));
        assert_eq!(Window::parse("22:00-24:00").map(|w| w.end), Ok(86_400));
        for bad in ["25:00-26:00", "12:00-09:00", "09:00", "9:00-12:00", "24:00-24:00", "09:60-10:00", "10:00-10:00"] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overlapping_windows_are_rejected() {
        let w = |s| Window::parse(s).unwrap();
        let mut week: [Vec<Window>; 7] = Default::default();
        week[0] = vec![w("09:00-12:00"), w("11:00-13:00")];
        let err = Calendar::new("x", Tz::UTC, week, vec![], BTreeMap::new(), None).unwrap_err();
        assert!(matches!(err, CalendarError::Overlap(_)));
    }

    #[test]
    fn empty_week_and_unequal_days() {
        let w = |s| Window::parse(s).unwrap();
        let empty: [Vec<Window>; 7] = Default::default();
        assert_eq!(
            Calendar::new("x", Tz::UTC, empty, vec![], BTreeMap::new(), None).unwrap_err(),
            CalendarError::NoWorkingTime
        );
        let mut week: [Vec<Window>; 7] = Default::default();
        week[0] = vec![w("09:00-17:00")];
        week[4] = vec![w("09:00-12:00")];
        assert!(matches!(
            Calendar::new("x", Tz::UTC, week.clone(), vec![], BTreeMap::new(), None),
            Err(CalendarError::UnequalDays(_))
        ));
        let cal = Calendar::new("x", Tz::UTC, week, vec![], BTreeMap::new(), Some(8 * 3600)).unwrap();
        assert_eq!(cal.business_day(), 8 * 3600);
    }

    #[test]
    fn dst_gap_boundary_moves_to_gap_end_and_fold_takes_first() {
        let cal = Calendar::new("x", chrono_tz::Europe::Paris, Default::default(), vec![], BTreeMap::new(), Some(1));
        assert!(cal.is_err()); // no working time
        let w = |s| Window::parse(s).unwrap();
        let week: [Vec<Window>; 7] = std::array::from_fn(|_| vec![w("02:30-04:00")]);
        let cal = Calendar::new("x", chrono_tz::Europe::Paris, week, vec![], BTreeMap::new(), None).unwrap();
        // 2026-03-29 02:30 does not exist in Paris: it moves to 03:00 CEST = 01:00Z.
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(cal.resolve(spring, 9000), 1_774_746_000);
        // 2026-10-25 02:30 happens twice: first at 00:30Z (CEST).
        let fall = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        assert_eq!(cal.resolve(fall, 9000), 1_792_888_200);
    }
}
