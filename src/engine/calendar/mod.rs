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
//!
//! Overnight windows (`22:00-06:00`) belong to the day they start on: that
//! day's holiday or override decides whether the whole shift runs, and its
//! end is resolved on the next day's wall clock by the same policy.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use self::cursor::YearCursor;
use self::shapes::Shapes;
use self::year::YearInfo;
use self::yearsum::YearSum;
use super::day::{DAY, Day, Timestamp, WorkSpan};
use super::holiday::{Holiday, HolidayRule};
use super::segment::Segment;
use super::timeline::WalkError;
use super::window::{Window, check_windows, head_of, tail_of};
use super::zone::{self, Disambiguation};
use super::zone_years::ZoneYears;

// The year tables behind `Calendar`: they import `Calendar` and it imports
// them, one idea kept in this folder. The walks read them too.
pub(crate) mod cursor;
mod shapes;

/// How many runs of whole years a walk may offer at a 1 January (see
/// [`Calendar::year_block`]).
pub(crate) const YEAR_BLOCKS: usize = shapes::BLOCKS.len();
pub(super) mod year;
pub(super) mod yearsum;

/// Most holiday rules one calendar holds (plan files allow far fewer): the
/// year tables store a rule's index in 16 bits.
pub(crate) const MAX_HOLIDAYS: usize = u16::MAX as usize - 1;

/// What a date is, on a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayKind<'a> {
    /// Its weekday's usual windows.
    Regular,
    /// A holiday: no working time. Carries the holiday's name.
    Holiday(&'a str),
    /// A date override (exact or recurring) replaces the weekday's windows.
    Override(&'a [Window]),
}

/// A recurring override: month, day, and the windows of that date every year.
pub(crate) type Recurring = ((u32, u32), Vec<Window>);

/// A working calendar. Build one with [`Calendar::new`] or [`Calendar::always`];
/// both validate, so the walks never meet a calendar without working time.
///
/// Methods that take a day take a `Day` or a [`NaiveDate`]: the walks go
/// by day numbers and build dates only when they report one.
#[derive(Debug)]
pub struct Calendar {
    id: String,
    tz: Tz,
    week: [Vec<Window>; 7],
    holidays: Vec<Holiday>,
    overrides: BTreeMap<NaiveDate, Vec<Window>>,
    overrides_by_day: BTreeMap<Day, Vec<Window>>,
    /// Recurring (`MM-DD`) overrides, sorted by month and day.
    recurring: Vec<Recurring>,
    /// How far any window reaches into the next day, in wall-clock seconds
    /// (0: no overnight window).
    max_tail: u32,
    business_day: i64,
    week_len: WorkSpan,
    always: bool,
    /// Holidays, offset changes and week tables per local year, filled on
    /// first use and shared by every walk (and every `batch` row).
    years: Mutex<HashMap<i64, Arc<YearInfo>>>,
    /// This calendar among every one the process made (never reused, unlike
    /// its address): the key of a thread's walk cursor on it
    /// ([`cursor::Pooled`]).
    uid: cursor::Uid,
    /// The zone's offset changes per equivalent year after 2099, searched
    /// once per calendar for the year tables.
    zone_years: ZoneYears,
    /// Sums of the regular years after 2100, by shape.
    shapes: Shapes,
    /// The earliest horizon of its holiday sets (see [`Horizon`]).
    horizon: Option<Horizon>,
    /// The latest first year of its holiday sets (see [`DataFrom`]).
    data_from: Option<DataFrom>,
}

/// The last year a holiday set has data for (a generated set's `dates`
/// lists end there): a walk that reaches a later year is an error naming
/// the set, never a year silently without its holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    /// The set's id.
    pub set: String,
    /// Its last year.
    pub year: i32,
    /// 1 January of the year after, where walks stop.
    end: Day,
}

impl Horizon {
    /// The horizon `year` of set `set`.
    pub fn new(set: impl Into<String>, year: i32) -> Option<Horizon> {
        let end = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?;
        Some(Horizon { set: set.into(), year, end: Day::from(end) })
    }

    /// 1 January of the first year past the horizon.
    pub(crate) fn end(&self) -> Day {
        self.end
    }

    /// The error for a walk that needs `year`.
    pub fn error(&self, year: i32) -> WalkError {
        WalkError::PastHorizon { set: self.set.clone(), horizon: self.year, year }
    }
}

/// The first year a holiday set has data for (a generated set's rules were
/// compared with python-holidays from there on, and its `dates` lists start
/// there): a walk that needs an earlier day is an error naming the set,
/// never a year silently without its holidays. The lower bound to
/// [`Horizon`]'s upper one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFrom {
    /// The set's id.
    pub set: String,
    /// Its first year.
    pub year: i32,
    /// 1 January of that year: walks may not read a day before it.
    start: Day,
}

impl DataFrom {
    /// The first year `year` of set `set`; `None` for a year without dates.
    pub fn new(set: impl Into<String>, year: i32) -> Option<DataFrom> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        Some(DataFrom { set: set.into(), year, start: Day::from(start) })
    }

    /// 1 January of the first year.
    pub(crate) fn start(&self) -> Day {
        self.start
    }

    /// The error for a walk that needs `year`.
    pub fn error(&self, year: i32) -> WalkError {
        WalkError::BeforeData { set: self.set.clone(), from: self.year, year }
    }
}

impl Clone for Calendar {
    fn clone(&self) -> Calendar {
        Calendar {
            id: self.id.clone(),
            tz: self.tz,
            week: self.week.clone(),
            holidays: self.holidays.clone(),
            overrides: self.overrides.clone(),
            overrides_by_day: self.overrides_by_day.clone(),
            recurring: self.recurring.clone(),
            max_tail: self.max_tail,
            business_day: self.business_day,
            week_len: self.week_len,
            always: self.always,
            years: Mutex::new(HashMap::new()),
            uid: cursor::Uid::next(),
            zone_years: ZoneYears::default(),
            shapes: Shapes::default(),
            horizon: self.horizon.clone(),
            data_from: self.data_from.clone(),
        }
    }
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// Two windows of one day overlap, or an overnight window overlaps the
    /// next day's.
    Overlap(String),
    /// A recurring override names a month-day that no year has.
    BadRecurring(u32, u32),
    /// No working time in a normal week.
    NoWorkingTime,
    /// Working days differ in length and no `business_day` was given.
    UnequalDays(String),
    /// More holiday rules than [`MAX_HOLIDAYS`].
    TooManyHolidays(usize),
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
            CalendarError::TooManyHolidays(n) => write!(f, "{n} holiday rules: at most {MAX_HOLIDAYS}"),
            CalendarError::BadRecurring(m, d) => write!(f, "no such day {m:02}-{d:02} in any year"),
        }
    }
}

/// Short weekday names, Monday first, as plan files spell them.
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Calendar {
    /// Builds a calendar. `week[0]` is Monday. Windows of each day are sorted
    /// here; overlaps, an empty week and unequal days without `business_day`
    /// are errors.
    ///
    /// # Errors
    /// `CalendarError` naming what is wrong.
    pub fn new(
        id: impl Into<String>,
        tz: Tz,
        mut week: [Vec<Window>; 7],
        holidays: Vec<Holiday>,
        mut overrides: BTreeMap<NaiveDate, Vec<Window>>,
        business_day: Option<WorkSpan>,
    ) -> Result<Calendar, CalendarError> {
        let business_day = business_day.map(WorkSpan::secs);
        if holidays.len() > MAX_HOLIDAYS {
            return Err(CalendarError::TooManyHolidays(holidays.len()));
        }
        for (i, day) in week.iter_mut().enumerate() {
            check_windows(day).map_err(|(a, b)| CalendarError::Overlap(format!("{} {a} and {b}", WEEKDAYS[i])))?;
        }
        for (date, day) in &mut overrides {
            check_windows(day).map_err(|(a, b)| CalendarError::Overlap(format!("{date} {a} and {b}")))?;
        }
        let lens: Vec<i64> = week.iter().map(|d| d.iter().map(|w| w.len().secs()).sum()).collect();
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
        let overrides_by_day = overrides.iter().map(|(d, w)| (Day::from(*d), w.clone())).collect();
        let max_tail = week.iter().chain(overrides.values()).map(|d| tail_of(d)).max().unwrap_or(0);
        let cal = Calendar {
            id: id.into(),
            tz,
            week,
            holidays,
            overrides,
            overrides_by_day,
            recurring: Vec::new(),
            max_tail,
            business_day,
            week_len: WorkSpan::new(week_len),
            always: false,
            years: Mutex::new(HashMap::new()),
            uid: cursor::Uid::next(),
            zone_years: ZoneYears::default(),
            shapes: Shapes::default(),
            horizon: None,
            data_from: None,
        };
        cal.check_nights()?;
        Ok(cal)
    }

    /// Adds recurring overrides: `(month, day)` → the hours of that date in
    /// every year (`02-29` in leap years only). An exact-date override beats
    /// a recurring one; both beat a holiday.
    ///
    /// # Errors
    /// `CalendarError` for overlapping windows (within the date, or with an
    /// overnight window of the day before or after it on any weekday) or a
    /// month-day no year has.
    pub fn with_recurring(mut self, mut recurring: Vec<Recurring>) -> Result<Calendar, CalendarError> {
        for ((m, d), day) in &mut recurring {
            if NaiveDate::from_ymd_opt(2000, *m, *d).is_none() {
                return Err(CalendarError::BadRecurring(*m, *d));
            }
            check_windows(day).map_err(|(a, b)| CalendarError::Overlap(format!("{m:02}-{d:02} {a} and {b}")))?;
        }
        recurring.sort_by_key(|(md, _)| *md);
        recurring.dedup_by_key(|(md, _)| *md);
        self.max_tail = self.max_tail.max(recurring.iter().map(|(_, w)| tail_of(w)).max().unwrap_or(0));
        self.recurring = recurring;
        self.years = Mutex::new(HashMap::new());
        self.shapes = Shapes::default();
        self.check_nights()?;
        Ok(self)
    }

    /// Overlaps across midnight: an overnight window must end by the time
    /// the next day's first window starts. Checked for every pair of
    /// weekdays, each exact-date override with the days either side of it,
    /// and each recurring override against every weekday (its weekday
    /// changes with the year) and the recurring dates either side.
    fn check_nights(&self) -> Result<(), CalendarError> {
        let clash = |a_name: String, a: &[Window], b_name: String, b: &[Window]| -> Result<(), CalendarError> {
            let tail = tail_of(a);
            if tail > head_of(b) {
                let night = a.iter().find(|w| w.tail() == tail).copied();
                let morning = b.iter().min().copied();
                if let (Some(n), Some(m)) = (night, morning) {
                    return Err(CalendarError::Overlap(format!(
                        "overnight {a_name} {n} runs into {b_name} {m} (an overnight window ends before the next day's first one starts)"
                    )));
                }
            }
            Ok(())
        };
        if self.max_tail == 0 {
            return Ok(());
        }
        for (d, (name, day)) in WEEKDAYS.iter().zip(&self.week).enumerate() {
            let n = (d + 1) % 7;
            clash((*name).into(), day, WEEKDAYS[n].into(), &self.week[n])?;
        }
        let nominal = |date: NaiveDate| -> (String, &[Window]) {
            if let Some(w) = self.overrides.get(&date) {
                return (date.to_string(), w);
            }
            if let Some(w) = self.recurring_on(date) {
                return (date.format("%m-%d").to_string(), w);
            }
            let wd = date.weekday().num_days_from_monday() as usize;
            (format!("{date} ({})", WEEKDAYS[wd]), &self.week[wd])
        };
        for (date, w) in &self.overrides {
            if let Some(prev) = date.pred_opt() {
                let (name, p) = nominal(prev);
                clash(name, p, date.to_string(), w)?;
            }
            if let Some(next) = date.succ_opt() {
                let (name, n) = nominal(next);
                clash(date.to_string(), w, name, n)?;
            }
        }
        for ((m, d), w) in &self.recurring {
            let name = format!("{m:02}-{d:02}");
            for (wd, day) in WEEKDAYS.iter().zip(&self.week) {
                clash((*wd).into(), day, name.clone(), w)?;
                clash(name.clone(), w, (*wd).into(), day)?;
            }
            // The recurring dates either side, in a leap year and in a common one.
            for year in [2000, 2001] {
                let Some(date) = NaiveDate::from_ymd_opt(year, *m, *d) else { continue };
                if let Some(next) = date.succ_opt().and_then(|n| self.recurring_on(n).map(|w| (n, w))) {
                    clash(name.clone(), w, next.0.format("%m-%d").to_string(), next.1)?;
                }
            }
        }
        Ok(())
    }

    /// The recurring override of `date`'s month and day, if any.
    fn recurring_on(&self, date: NaiveDate) -> Option<&[Window]> {
        let key = (date.month(), date.day());
        self.recurring.binary_search_by_key(&key, |(md, _)| *md).ok().map(|i| self.recurring[i].1.as_slice())
    }

    /// The recurring overrides, sorted by month and day.
    pub fn recurring(&self) -> &[Recurring] {
        &self.recurring
    }

    /// How far the calendar's windows reach into the next day, in
    /// wall-clock seconds (0: no overnight window).
    pub fn max_tail(&self) -> u32 {
        self.max_tail
    }

    /// Local days a day's windows touch: 2 with overnight windows, else 1.
    pub(crate) fn reach_days(&self) -> i64 {
        if self.max_tail > 0 { 2 } else { 1 }
    }

    /// The 24x7 calendar: every instant is working time (real seconds, no
    /// holidays); a business day is 24 h.
    pub fn always() -> Calendar {
        let full = || vec![Window { start: 0, end: DAY as u32 }];
        Calendar {
            id: "24x7".into(),
            tz: Tz::UTC,
            week: [full(), full(), full(), full(), full(), full(), full()],
            holidays: vec![],
            overrides: BTreeMap::new(),
            overrides_by_day: BTreeMap::new(),
            recurring: Vec::new(),
            max_tail: 0,
            business_day: DAY,
            week_len: WorkSpan::new(7 * DAY),
            always: true,
            years: Mutex::new(HashMap::new()),
            uid: cursor::Uid::next(),
            zone_years: ZoneYears::default(),
            shapes: Shapes::default(),
            horizon: None,
            data_from: None,
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
    pub fn business_day(&self) -> WorkSpan {
        WorkSpan::new(self.business_day)
    }

    /// Working time in a normal week (no holiday, override or DST change).
    pub fn week_len(&self) -> WorkSpan {
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

    /// Sets the earliest horizon of the calendar's holiday sets (see
    /// `Horizon`); `None`: its holidays hold in every year.
    #[must_use]
    pub fn with_horizon(mut self, horizon: Option<Horizon>) -> Calendar {
        self.horizon = horizon;
        self
    }

    /// The earliest horizon of its holiday sets, if any.
    pub fn horizon(&self) -> Option<&Horizon> {
        self.horizon.as_ref()
    }

    /// Sets the latest first year of the calendar's holiday sets (see
    /// `DataFrom`); `None`: its holidays hold from 1583 on.
    #[must_use]
    pub fn with_data_from(mut self, data_from: Option<DataFrom>) -> Calendar {
        self.data_from = data_from;
        self
    }

    /// The latest first year of its holiday sets, if any.
    pub fn data_from(&self) -> Option<&DataFrom> {
        self.data_from.as_ref()
    }

    /// Whether the calendar's holidays are known in every year of
    /// `from..=to` (local years).
    ///
    /// # Errors
    /// `WalkError::BeforeData` naming the set and the earliest year asked
    /// when it is before the set's first year; `WalkError::PastHorizon`
    /// naming the set and the first year past its horizon.
    pub fn covers(&self, from: i32, to: i32) -> Result<(), WalkError> {
        let (first, last) = (from.min(to), to.max(from));
        if let Some(d) = &self.data_from
            && first < d.year
        {
            return Err(d.error(first));
        }
        match &self.horizon {
            Some(h) if last > h.year => Err(h.error(h.year + 1)),
            _ => Ok(()),
        }
    }

    /// The date overrides.
    pub fn overrides(&self) -> &BTreeMap<NaiveDate, Vec<Window>> {
        &self.overrides
    }

    /// Local calendar date of an instant in this calendar's zone.
    pub fn local_date(&self, t: Timestamp) -> Option<NaiveDate> {
        self.local_day(t.secs()).date()
    }

    /// Local day of an instant.
    pub(crate) fn local_day(&self, t: i64) -> Day {
        Day::containing(t + self.offset_at(t))
    }

    /// Like [`Calendar::local_day`], answered from the year tables.
    pub(crate) fn local_day_cached(&self, t: i64, cursor: &mut YearCursor) -> Day {
        if self.always {
            return Day::containing(t);
        }
        // The UTC day's year holds the offset changes around `t` (its table
        // reaches three days past either end of the year).
        let off = cursor.for_day(self, Day::containing(t)).offset_at(t);
        Day::containing(t + off)
    }

    /// The offset at `t` and the UTC span `[from, to)` over which it holds,
    /// from the year tables (the span may be shorter than the real one).
    pub(crate) fn offset_span(&self, t: i64, cursor: &mut YearCursor) -> (i64, i64, i64) {
        if self.always {
            return (0, i64::MIN, i64::MAX);
        }
        let (off, from, to) = cursor.for_day(self, Day::containing(t)).offset_span(t);
        (off, from.min(t), to.max(t + 1))
    }

    /// UTC offset in seconds at instant `t`.
    pub(crate) fn offset_at(&self, t: i64) -> i64 {
        if self.always {
            return 0;
        }
        zone::offset_at(self.tz, t)
    }

    /// The UTC instant of local midnight (wall clock 00:00, by the DST policy)
    /// of `day`.
    pub(crate) fn midnight(&self, day: impl Into<Day>) -> i64 {
        self.resolve(day, 0)
    }

    /// The constant UTC offset over local `day` (and the next one when the
    /// calendar has overnight windows), or `None` when the zone changes
    /// offset there (a DST day). The day table answers for the walks; this
    /// is the tests' reference.
    #[cfg(test)]
    fn day_offset(&self, day: Day, cursor: &mut YearCursor) -> Option<i64> {
        if self.always {
            return Some(0);
        }
        cursor.for_day(self, day).offset_over(day, self.reach_days())
    }

    /// UTC instant of wall-clock `secs` after midnight on `day`, by the DST
    /// policy (`Disambiguation::Boundary`): a time in a gap moves to the
    /// gap's end, one in a fold takes its first occurrence.
    pub(crate) fn resolve(&self, day: impl Into<Day>, secs: u32) -> i64 {
        let day = day.into();
        let local = day.start() + i64::from(secs);
        if self.always {
            return local;
        }
        if let Some(off) = year::day_offset_uncached(self.tz, day) {
            return local - off;
        }
        match zone::resolve(self.tz, super::day::LocalSeconds::from_secs(local), Disambiguation::Boundary) {
            Ok(t) => t.secs(),
            Err(_) => unreachable!("Disambiguation::Boundary resolves every wall-clock time"),
        }
    }

    /// What `day` is on this calendar.
    pub(crate) fn day_kind<'a>(&'a self, day: impl Into<Day>, cursor: &mut YearCursor) -> DayKind<'a> {
        let day = day.into();
        if !self.overrides_by_day.is_empty()
            && let Some(w) = self.overrides_by_day.get(&day)
        {
            return DayKind::Override(w);
        }
        if !self.recurring.is_empty()
            && let Some(i) = cursor.for_day(self, day).recurring_at(day)
        {
            return DayKind::Override(&self.recurring[i].1);
        }
        if !self.holidays.is_empty()
            && let Some(i) = cursor.for_day(self, day).holiday_at(day)
        {
            return DayKind::Holiday(&self.holidays[i].name);
        }
        DayKind::Regular
    }

    /// The wall-clock windows that apply on `day` (empty on a holiday).
    pub(crate) fn windows_on<'a>(&'a self, day: impl Into<Day>, cursor: &mut YearCursor) -> &'a [Window] {
        let day = day.into();
        match self.day_kind(day, cursor) {
            DayKind::Regular => &self.week[day.weekday()],
            DayKind::Holiday(_) => &[],
            DayKind::Override(w) => w,
        }
    }

    /// Appends the working segments of local `day`, in UTC, to `out`.
    pub(crate) fn segments_on(&self, day: impl Into<Day>, cursor: &mut YearCursor, out: &mut Vec<Segment>) {
        let day = day.into();
        let info = cursor.for_day(self, day);
        match info.day_segments(self, day) {
            Some(segs) => out.extend_from_slice(segs),
            None => self.segments_by_rules(day, info, out),
        }
    }

    /// Appends the working segments of local `day` to `out`, worked out from
    /// the windows, holidays and offsets (from `year`, which must hold
    /// `day`): how the year tables fill their day table.
    pub(super) fn segments_by_rules(&self, day: Day, year: &YearInfo, out: &mut Vec<Segment>) {
        let windows = self.day_windows(day, year);
        if windows.is_empty() {
            return;
        }
        let local0 = day.start();
        let offset = if self.always { Some(0) } else { year.offset_over(day, self.reach_days()) };
        match offset {
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
    fn dst_day_segments(&self, day: Day, windows: &[Window], out: &mut Vec<Segment>) {
        for w in windows {
            let s = Segment::new(self.resolve_boundary(day, w.start), self.resolve_boundary(day, w.end));
            if !s.is_empty() {
                out.push(s);
            }
        }
    }

    /// Like [`Calendar::resolve`] but `24:00` is the next day's midnight and
    /// an overnight end is read on the next day's wall clock.
    pub(super) fn resolve_boundary(&self, day: Day, secs: u32) -> i64 {
        if i64::from(secs) >= DAY { self.resolve(day + 1, secs - DAY as u32) } else { self.resolve(day, secs) }
    }

    /// The windows of `day`, with holidays from `year` (no cursor: used while
    /// the year itself is being built).
    fn day_windows<'a>(&'a self, day: Day, year: &YearInfo) -> &'a [Window] {
        self.special_windows(day, year).unwrap_or(&self.week[day.weekday()])
    }

    /// The windows of `day` when an override or a holiday replaces its
    /// weekday's, with holidays from `year`; `None` on a regular day.
    fn special_windows<'a>(&'a self, day: Day, year: &YearInfo) -> Option<&'a [Window]> {
        if let Some(w) = self.overrides_by_day.get(&day) {
            return Some(w);
        }
        if !self.recurring.is_empty()
            && let Some(i) = year.recurring_at(day)
        {
            return Some(&self.recurring[i].1);
        }
        if year.holiday_at(day).is_some() {
            return Some(&[]);
        }
        None
    }

    /// Working time of local `day` when no offset change touches it:
    /// arithmetic only. For the year tables.
    pub(super) fn steady_day_work(&self, day: Day, year: &YearInfo) -> WorkSpan {
        self.day_windows(day, year).iter().map(|w| w.len()).sum()
    }

    /// Exact working time of local `day`, an offset change or not. For the
    /// year tables.
    pub(super) fn day_work(&self, day: Day, year: &YearInfo) -> WorkSpan {
        if year.offset_over(day, self.reach_days()).is_some() {
            return self.steady_day_work(day, year);
        }
        let mut segs = Vec::with_capacity(4);
        self.dst_day_segments(day, self.day_windows(day, year), &mut segs);
        segs.iter().map(|s| WorkSpan::new(s.duration())).sum()
    }

    /// The days in `[first, end)` with an exact-date override.
    pub(super) fn override_days(&self, first: Day, end: Day) -> impl Iterator<Item = Day> + '_ {
        self.overrides_by_day.range(first..end).map(|(d, _)| *d)
    }

    /// The sum of the `i`-th of [`shapes::BLOCKS`] from local day `first` (a
    /// 1 January) when such a run of years starts there and all of them are
    /// regular (see [`Shapes::years`]): for the walks to take before the year.
    pub(super) fn year_block(&self, first: Day, i: usize) -> Option<YearSum> {
        let n = *shapes::BLOCKS.get(i)?;
        // No run starts before 2101: most walks stop here, before working out the year.
        if first < Day::jan1(2101) {
            return None;
        }
        let year = first.year();
        if !shapes::block_starts(year, n) {
            return None;
        }
        self.shapes.years(self, year, n)
    }

    /// The sum of the year that starts on local day `first` (a 1 January),
    /// for the walks: by its shape when the year is regular (see
    /// [`Shapes`]), else from its year table.
    pub(super) fn year_sum(&self, first: Day, cursor: &mut YearCursor) -> YearSum {
        match self.shapes.regular(self, first.year()) {
            Some(sum) => sum,
            None => *cursor.for_day(self, first).sum(),
        }
    }

    /// The shared year tables, for [`YearCursor`].
    pub(super) fn years(&self) -> &Mutex<HashMap<i64, Arc<YearInfo>>> {
        &self.years
    }

    /// See the `uid` field.
    pub(super) fn uid(&self) -> u64 {
        self.uid.0
    }

    /// The zone's offset at `from` and its changes in `(from, to]`, for the
    /// year tables (memoized past 2099, see [`ZoneYears`]).
    pub(super) fn transitions(&self, from: i64, to: i64) -> (i64, Vec<(i64, i64)>) {
        self.zone_years.transitions(self.tz, from, to)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A walk that needs a year past a holiday set's horizon fails naming the
    /// set and that year, whichever walk it is; one that stays within
    /// answers as before (SPEC §7: horizons are errors, not silence).
    #[test]
    fn a_walk_past_the_horizon_fails_naming_the_set_and_the_year() {
        use crate::engine::{clock_start, deadline, elapsed};
        let office = Window::parse("09:00-17:00").unwrap();
        let mut week: [Vec<Window>; 7] = Default::default();
        for d in week.iter_mut().take(5) {
            d.push(office);
        }
        let cal = Calendar::new("c", chrono_tz::UTC, week, vec![], BTreeMap::new(), None)
            .unwrap()
            .with_horizon(Horizon::new("zz-lunar", 2030));
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        let past = WalkError::PastHorizon { set: "zz-lunar".into(), horizon: 2030, year: 2031 };
        // Tuesday 31 December 2030 10:00 + 2 h: within 2030.
        let d = deadline(&cal, at("2030-12-31T10:00:00Z"), 7200, &[], false).unwrap();
        assert_eq!(d.at, at("2030-12-31T12:00:00Z"));
        // + 8 h needs 1 January 2031.
        assert_eq!(deadline(&cal, at("2030-12-31T10:00:00Z"), 8 * 3600, &[], false), Err(past.clone()));
        // Years taken whole stop at the horizon too.
        assert_eq!(deadline(&cal, at("2020-01-01T10:00:00Z"), 50_000 * 3600, &[], false), Err(past.clone()));
        assert_eq!(
            elapsed(&cal, at("2030-12-30T10:00:00Z"), at("2031-01-02T10:00:00Z"), &[], false),
            Err(past.clone())
        );
        assert_eq!(clock_start(&cal, at("2031-06-01T10:00:00Z")), Err(past.clone()));
        assert!(past.to_string().contains("\"zz-lunar\" is known up to 2030"), "{past}");
        assert_eq!(cal.covers(2029, 2030), Ok(()));
        assert_eq!(cal.covers(2030, 2031), Err(past));
        // No horizon: every year; a clone keeps it.
        assert_eq!(cal.clone().horizon().map(|h| h.year), Some(2030));
        assert!(Horizon::new("x", 9999).is_some() && Horizon::new("x", i32::MAX).is_none());
    }

    /// A walk that needs a day before a holiday set's first year (a
    /// generated set's `data_from`) fails naming the set and that year,
    /// whichever walk it is; one that starts on or after 1 January of that
    /// year answers as before, and so does a calendar without one (SPEC §7:
    /// never a year silently without holidays, at either end).
    #[test]
    fn a_walk_before_the_first_year_fails_naming_the_set_and_the_year() {
        use crate::engine::status_walk::deadline_and_elapsed;
        use crate::engine::{clock_start, deadline, elapsed};
        let office = Window::parse("09:00-17:00").unwrap();
        let mut week: [Vec<Window>; 7] = Default::default();
        for d in week.iter_mut().take(5) {
            d.push(office);
        }
        let plain = Calendar::new("c", chrono_tz::UTC, week.clone(), vec![], BTreeMap::new(), None).unwrap();
        let cal = plain.clone().with_data_from(DataFrom::new("pl", 2000)).with_horizon(Horizon::new("pl", 2030));
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        let before = WalkError::BeforeData { set: "pl".into(), from: 2000, year: 1999 };
        // Friday 31 December 1999 16:00 + 2 h needs 1999 itself.
        assert_eq!(deadline(&cal, at("1999-12-31T16:00:00Z"), 7200, &[], false), Err(before.clone()));
        assert_eq!(deadline(&cal, at("1999-12-31T16:00:00Z"), 7200, &[], true), Err(before.clone()));
        assert_eq!(
            elapsed(&cal, at("1999-12-30T10:00:00Z"), at("2000-01-04T10:00:00Z"), &[], false),
            Err(before.clone())
        );
        assert_eq!(clock_start(&cal, at("1999-12-31T18:00:00Z")), Err(before.clone()));
        assert_eq!(
            deadline_and_elapsed(&cal, at("1999-12-31T16:00:00Z"), Some(7200), at("2000-01-04T10:00:00Z"), &[]),
            Err(before.clone())
        );
        // Long before: the year is the one the walk starts in.
        let long_ago = WalkError::BeforeData { set: "pl".into(), from: 2000, year: 1990 };
        assert_eq!(deadline(&cal, at("1990-06-01T10:00:00Z"), 50_000 * 3600, &[], false), Err(long_ago));
        // From Saturday 1 January 2000 00:00 on: Monday 3 January 11:00.
        let d = deadline(&cal, at("2000-01-01T00:00:00Z"), 7200, &[], false).unwrap();
        assert_eq!(d.at, at("2000-01-03T11:00:00Z"));
        // Without the bound the same walks answer, as a calendar of user sets does.
        assert_eq!(
            deadline(&plain, at("1999-12-31T16:00:00Z"), 7200, &[], false).unwrap().at,
            at("2000-01-03T10:00:00Z")
        );
        assert!(before.to_string().contains("\"pl\" is known from 2000 on only"), "{before}");
        assert!(before.to_string().contains("this needs 1999"), "{before}");
        // `covers`: the earliest year asked before the first, else the horizon.
        assert_eq!(cal.covers(2000, 2030), Ok(()));
        assert_eq!(cal.covers(1999, 2000), Err(before.clone()));
        assert_eq!(cal.covers(2000, 1999), Err(before));
        assert!(matches!(cal.covers(1999, 2031), Err(WalkError::BeforeData { .. })));
        assert_eq!(plain.covers(1583, 9999), Ok(()));
        // A clone keeps it.
        assert_eq!(cal.clone().data_from().map(|d| (d.set.as_str(), d.year)), Some(("pl", 2000)));
        assert!(DataFrom::new("x", 1583).is_some() && DataFrom::new("x", i32::MAX).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The year's day table (`YearInfo::day_segments`, which the walks'
        /// day step reads) gives every day the segments its `windows_on` and
        /// `day_offset` give it: holidays of every rule kind, exact and
        /// recurring overrides, DST zones and overnight windows included.
        #[test]
        fn the_day_table_holds_the_segments_of_windows_on_and_day_offset(
            cal in super::super::tests::any_calendar(),
            year in prop_oneof![2023i64..2034, 2098i64..2102, 1583i64..10_000],
        ) {
            let mut table = YearCursor::new();
            let mut reference = YearCursor::new();
            let mut day = Day::jan1(year);
            while day < Day::jan1(year + 1) {
                let mut got = Vec::new();
                cal.segments_on(day, &mut table, &mut got);
                // The walks' day step before the day table.
                let mut want = Vec::new();
                let windows = cal.windows_on(day, &mut reference);
                if !windows.is_empty() {
                    match cal.day_offset(day, &mut reference) {
                        Some(off) => want.extend(windows.iter().map(|w| {
                            Segment::new(day.start() + i64::from(w.start) - off, day.start() + i64::from(w.end) - off)
                        })),
                        None => cal.dst_day_segments(day, windows, &mut want),
                    }
                }
                prop_assert_eq!(got, want, "{:?}", day.date());
                day += 1;
            }
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
        let cal = Calendar::new("x", Tz::UTC, week, vec![], BTreeMap::new(), Some(WorkSpan::new(8 * 3600))).unwrap();
        assert_eq!(cal.business_day().secs(), 8 * 3600);
    }

    #[test]
    fn dst_gap_boundary_moves_to_gap_end_and_fold_takes_first() {
        let cal = Calendar::new(
            "x",
            chrono_tz::Europe::Paris,
            Default::default(),
            vec![],
            BTreeMap::new(),
            Some(WorkSpan::new(1)),
        );
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
