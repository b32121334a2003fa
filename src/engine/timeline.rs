//! The two walks over a calendar: [`deadline`] (consume a working duration) and
//! [`elapsed`] (measure working time between two instants), plus
//! [`clock_start`]. Both are one algorithm, `walk`, with a small visitor each,
//! as zendesk/biz writes its timeline once.
//!
//! The walk goes day by day through local days, but jumps whole weeks from the
//! year tables (holidays, overrides and DST changes are in their sums; only a
//! pause stops a run) when the visitor can swallow them, so a
//! 10,000-business-day target costs about 2,000 cheap steps, not 14,000 days
//! of time-zone work. On a 1 January it first offers the whole year
//! (`YearSum`), so a walk over centuries costs a step per year.

use chrono::NaiveDate;

use super::calendar::cursor::{Pooled, YearCursor};
use super::calendar::year::{DayRun, Week};
use super::calendar::yearsum::YearSum;
use super::calendar::{Calendar, DayKind, YEAR_BLOCKS};
use super::day::{DAY, Day, WorkSpan};
use super::segment::Segment;

/// The first and last days a walk may reach: 1583-01-01 and 9999-12-31.
pub(crate) const FIRST_DAY: Day = Day::new(-141_349);
/// See [`FIRST_DAY`].
pub(crate) const LAST_DAY: Day = Day::new(2_932_896);

/// A walk that finds no working time for this many days gives up.
pub(crate) const HORIZON_DAYS: i64 = 3653;

/// Why a walk could not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
    /// No working time within [`HORIZON_DAYS`] after the given date.
    NoWorkingTime(NaiveDate),
    /// The walk would leave the years 1583..=9999.
    OutOfRange,
    /// The walk needs `year`, past the last year holiday set `set` has data for.
    PastHorizon {
        /// The set's id.
        set: String,
        /// Its last year.
        horizon: i32,
        /// The year the walk needed.
        year: i32,
    },
    /// The walk needs `year`, before the first year holiday set `set` has
    /// data for.
    BeforeData {
        /// The set's id.
        set: String,
        /// Its first year.
        from: i32,
        /// The year the walk needed.
        year: i32,
    },
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::NoWorkingTime(d) => write!(f, "no working time within 10 years after {d}"),
            WalkError::OutOfRange => f.write_str("the answer falls after the year 9999"),
            WalkError::PastHorizon { set, horizon, year } => write!(
                f,
                "holiday set \"{set}\" is known up to {horizon} only (its horizon), and this needs {year}: \
                 its lunar or announced holidays of {year} are not in slacalc's data"
            ),
            WalkError::BeforeData { set, from, year } => write!(
                f,
                "holiday set \"{set}\" is known from {from} on only (its data_from), and this needs {year}: \
                 its holidays of {year} are not in slacalc's data"
            ),
        }
    }
}

impl std::error::Error for WalkError {}

/// One thing the clock ran through, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Working time counted on `date`: the piece and the running total after it.
    Worked {
        /// Local date.
        date: NaiveDate,
        /// The counted span.
        span: Segment,
        /// Working seconds counted so far, this piece included.
        total: i64,
    },
    /// Whole weeks counted at once, Mondays `from` (inclusive) to `to` (exclusive).
    Weeks {
        /// First Monday.
        from: NaiveDate,
        /// Monday after the last week.
        to: NaiveDate,
        /// Working seconds in these weeks.
        worked: i64,
        /// Running total after them.
        total: i64,
    },
    /// A holiday on a day that normally has working hours.
    Holiday {
        /// Local date.
        date: NaiveDate,
        /// The holiday's name.
        name: String,
    },
    /// Working time removed by a pause.
    Paused {
        /// The part of a working window that the pause covered.
        span: Segment,
    },
}

/// The date of a day the walk reached. The walk stays within 1583..=9999,
/// where every day has a date; past chrono's range this is an error, not a
/// made-up date.
fn date(day: Day) -> Result<NaiveDate, WalkError> {
    day.date().ok_or(WalkError::OutOfRange)
}

/// What a walk asks of its caller at each step.
pub(crate) trait Visitor {
    /// Cheap pre-check: could a week of `week_len` working time be taken whole?
    fn could_take_week(&self, week_len: WorkSpan) -> bool;
    /// Offered a run of consecutive weeks of the year's table (no pause in
    /// them), returns how many of them, from the first, it counts whole.
    fn take_weeks(&mut self, weeks: &[Week]) -> Result<usize, WalkError>;
    /// Offered a whole local year, or a run of whole years (one `YearSum`
    /// for them all; no pause touches its span, which starts at or after the
    /// walk's start), returns true when it counts it whole.
    /// Never offered while tracing. Visitors that do not care take none.
    fn take_year(&mut self, _year: &YearSum) -> Result<bool, WalkError> {
        Ok(false)
    }
    /// Cheap pre-check before a year's sum is worked out: the visitor takes
    /// no year whose span ends after this instant (`Measure`: its end).
    /// Refusing a year is always right (the walk then goes by weeks), so
    /// this only spares the sum of a year the visitor would refuse.
    fn years_end_by(&self) -> i64 {
        i64::MAX
    }
    /// Cheap pre-check: would the visitor take whole days from the day
    /// whose local midnight, read as UTC, is `midnight` (within a day of the
    /// real instant) ([`Visitor::take_days`])? Visitors that do not care
    /// take none.
    fn could_take_days(&self, _midnight: i64) -> bool {
        false
    }
    /// Offered a run of whole days of the year's table (no pause touches
    /// their segments, which start at or after the walk's start), returns
    /// how many of them, from the first, it counts whole. Never offered
    /// while tracing.
    fn take_days(&mut self, _run: &DayRun) -> Result<usize, WalkError> {
        Ok(0)
    }
    /// A piece of working time on local `day`, in order. Return false to stop
    /// the walk.
    fn piece(&mut self, day: Day, piece: Segment) -> Result<bool, WalkError>;
    /// A holiday on a normal working weekday (only called when tracing).
    fn holiday(&mut self, _date: NaiveDate, _name: &str) {}
    /// Working time a pause removed (only called when tracing).
    fn paused(&mut self, _span: Segment) {}
    /// True when the visitor records [`Step`]s.
    fn tracing(&self) -> bool {
        false
    }
}

/// Walks the working time of `cal` from instant `start` on, minus the
/// normalized `pauses`, feeding `v` until it says stop.
///
/// # Errors
/// [`WalkError`] when no working time shows up for ten years, the walk
/// leaves the supported years, or it needs a year outside a holiday set's
/// data (before its first year, past its horizon).
pub(crate) fn walk(cal: &Calendar, start: i64, pauses: &[Segment], v: &mut impl Visitor) -> Result<(), WalkError> {
    // The thread's cursor on this calendar: no lock when it holds the year.
    walk_in(cal, &mut Pooled::take(cal), start, pauses, v)
}

/// [`walk`] with the caller's cursor on `cal`'s year tables: a caller that
/// walks the same calendar row after row (see [`crate::sla::StatusRun`])
/// keeps one, instead of taking the thread's pooled one and putting it back
/// at every walk (a thread-local borrow and four `Arc` slots moved twice).
///
/// # Errors
/// As [`walk`].
pub(crate) fn walk_in(
    cal: &Calendar,
    cache: &mut YearCursor,
    start: i64,
    pauses: &[Segment],
    v: &mut impl Visitor,
) -> Result<(), WalkError> {
    // An overnight window of the day before may still run at `start`.
    let start_day = cal.local_day_cached(start, cache);
    let mut day = start_day - (cal.reach_days() - 1);
    if day < FIRST_DAY {
        return Err(WalkError::OutOfRange);
    }
    // Before a holiday set's first year the walk does not start: no year
    // without its holidays. The walk only goes forward, so its first day
    // (an overnight window's day before `start` included) is the one to check.
    if let Some(d) = cal.data_from()
        && day < d.start()
    {
        return Err(d.error(day.year() as i32));
    }
    let mut last_work = day;
    // The next 1 January the walk meets (or `day` itself), where it offers
    // the visitor the whole year. Week runs end by the year's end and day
    // steps are single days, so the walk never passes one unseen.
    let (first, end) = cache.for_day(cal, day).days();
    let mut next_year = if first == day { day } else { end };
    // The buffer of the (never expected) day outside its year's table, taken
    // from the thread only then.
    let mut segs: Option<Scratch> = None;
    // Past a holiday set's horizon the walk stops: no year without its holidays.
    let horizon_end = cal.horizon().map_or(LAST_DAY + 1, |h| h.end());
    loop {
        if day >= horizon_end
            && let Some(h) = cal.horizon()
        {
            return Err(h.error(day.year() as i32));
        }
        if day > LAST_DAY {
            return Err(WalkError::OutOfRange);
        }
        if day - last_work > HORIZON_DAYS {
            return Err(WalkError::NoWorkingTime(date(last_work)?));
        }
        if day == next_year {
            let taken;
            (next_year, taken) = offer_year(cal, day, start, pauses, cache, v)?;
            if taken {
                day = next_year;
                last_work = day;
                continue;
            }
        }
        if day.weekday() == 0 && v.could_take_week(cal.week_len()) {
            let run = cache.for_day(cal, day).weeks_from(cal, day);
            if run.first().is_some_and(|w| w.span.start >= start) {
                // Stop the run at the first week a pause touches.
                let mut len = run.len();
                for p in pauses {
                    let i = run.partition_point(|w| w.span.end <= p.start);
                    if i < len && run[i].span.start < p.end {
                        len = i;
                    }
                }
                let taken = v.take_weeks(&run[..len])?;
                if taken > 0 {
                    if v.tracing() {
                        // The weeks' holidays, right after the weeks' step:
                        // a trace lists every holiday the clock skipped.
                        for d in 0..7 * taken as i64 {
                            report_holiday(cal, day + d, cache, v)?;
                        }
                    }
                    day += 7 * taken as i64;
                    last_work = day;
                    continue;
                }
            }
        }
        // Between Mondays (and where a week run stopped short of its end),
        // whole days from the day table at once, for a visitor that only
        // measures: a ticket open for months ends its walk in a part week.
        // (Offered to the deadline walk too, days were seldom taken and the
        // offers cost more than they saved.)
        if day > start_day && !v.tracing() && v.could_take_days(day.start()) {
            let info = cache.for_day(cal, day);
            let until = (day + (7 - day.weekday() as i64)).min(info.days().1);
            if let Some(run) = info.day_run(cal, day, until)
                && run.first_start.is_none_or(|s| s >= start)
            {
                let end = run.end_by.last().copied().unwrap_or(i64::MIN);
                let paused = run.first_start.is_some_and(|s| pauses.iter().any(|p| p.start < end && s < p.end));
                let taken = if paused { 0 } else { v.take_days(&run)? };
                if taken > 0 {
                    // The last day taken that works, as the day step marks it.
                    if let Some(k) = (0..taken).rev().find(|&k| run.work_before[k + 1] > run.work_before[k]) {
                        last_work = day + k as i64;
                    }
                    day += taken as i64;
                    continue;
                }
            }
        }
        // A trace names the holidays from the start's own day on.
        if v.tracing() && day >= start_day {
            report_holiday(cal, day, cache, v)?;
        }
        // The day's segments straight from its year's day table (the
        // fallback is for a day outside the table, which `for_day` rules out).
        let day_segs: &[Segment] = match cache.for_day(cal, day).day_segments(cal, day) {
            Some(d) => d,
            None => {
                let segs = segs.get_or_insert_with(Scratch::take);
                segs.0.clear();
                cal.segments_on(day, cache, &mut segs.0);
                &segs.0
            }
        };
        for seg in day_segs {
            if seg.end <= start {
                continue;
            }
            let seg = Segment::new(seg.start.max(start), seg.end);
            last_work = day;
            // Pieces and pauses in time order, so a trace reads chronologically.
            let mut cursor = seg.start;
            for p in pauses.iter().filter_map(|p| p.intersect(&seg)) {
                if p.start > cursor && !v.piece(day, Segment::new(cursor, p.start))? {
                    return Ok(());
                }
                if v.tracing() {
                    v.paused(p);
                }
                cursor = p.end;
            }
            if cursor < seg.end && !v.piece(day, Segment::new(cursor, seg.end))? {
                return Ok(());
            }
        }
        day += 1;
    }
}

/// At 1 January `day`, offers the visitor a run of whole years starting
/// there (see [`Calendar::year_block`]), else the whole year, when it may
/// take it (not tracing, no pause in it, after the walk's `start`): the 1
/// January after what was offered last, and whether the visitor took it. Out of line: the day loop
/// meets it once a year.
#[inline(never)]
fn offer_year(
    cal: &Calendar,
    day: Day,
    start: i64,
    pauses: &[Segment],
    cache: &mut YearCursor,
    v: &mut impl Visitor,
) -> Result<(Day, bool), WalkError> {
    // `day` is a 1 January; the next one worked out, not read from the
    // year's table: a regular year after 2100 is summed by its shape,
    // without a table.
    debug_assert_eq!(day, Day::jan1(day.year()));
    let next = || Day::jan1(day.year() + 1);
    if v.tracing() || !v.could_take_week(cal.week_len()) {
        return Ok((next(), false));
    }
    // A year's span starts two days before its 1 January and ends two days
    // or more after its last day, 365 days on at least ([`YearSum`]): a year
    // that cannot start after `start`, or end by the visitor's bound, is
    // refused before its sum is worked out (a ticket open for months meets
    // 1 January short of now).
    if day.start() - 2 * DAY < start || (day + 365).start() + 2 * DAY > v.years_end_by() {
        return Ok((next(), false));
    }
    let mut offer = |years: &YearSum| -> Result<bool, WalkError> {
        let paused = pauses.iter().any(|p| p.start < years.span.end && years.span.start < p.end);
        Ok(years.span.start >= start && !paused && v.take_year(years)?)
    };
    // Runs of whole years first, when one starts here (issue 23: a walk
    // over millennia takes a step per run, not per year).
    for i in 0..YEAR_BLOCKS {
        if let Some(block) = cal.year_block(day, i)
            && offer(&block)?
        {
            return Ok((block.end, true));
        }
    }
    let year = cal.year_sum(day, cache);
    let taken = offer(&year)?;
    Ok((year.end, taken))
}

/// The walk's buffer for one day's segments, kept per thread between walks
/// (a fresh `Vec` per walk was a malloc and a free per `batch` row). Only
/// a day outside its year's day table needs it, which `for_day` rules out:
/// a walk takes it at that day, not at its start (taking and putting back a
/// thread-local at every walk was about 70 instructions a row).
struct Scratch(Vec<Segment>);

thread_local! {
    static SCRATCH: std::cell::Cell<Vec<Segment>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Scratch {
    /// The thread's buffer (an empty one when a walk already holds it).
    fn take() -> Scratch {
        Scratch(SCRATCH.with(std::cell::Cell::take))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let v = std::mem::take(&mut self.0);
        // A buffer grown by a day of many windows is not kept.
        if v.capacity() <= 64 {
            SCRATCH.with(|c| c.set(v));
        }
    }
}

/// Tells the visitor about a holiday on day `day` when that weekday normally
/// has working hours (a holiday on a Sunday skips nothing).
fn report_holiday(cal: &Calendar, day: Day, cache: &mut YearCursor, v: &mut impl Visitor) -> Result<(), WalkError> {
    if let DayKind::Holiday(name) = cal.day_kind(day, cache)
        && !cal.week()[day.weekday()].is_empty()
    {
        v.holiday(date(day)?, name);
    }
    Ok(())
}

/// Records whole weeks as one [`Step::Weeks`], merged with the weeks step
/// just before (and the holidays listed after it, which lie in those weeks).
fn record_weeks(steps: &mut Option<Vec<Step>>, weeks: &[Week], total: WorkSpan) -> Result<(), WalkError> {
    let (Some(steps), Some(first), Some(last)) = (steps.as_mut(), weeks.first(), weeks.last()) else { return Ok(()) };
    let (from, to) = (date(first.monday)?, date(last.monday + 7)?);
    let (worked, total) = ((last.cum - first.cum + first.work).secs(), total.secs());
    match steps.iter_mut().rev().find(|s| !matches!(s, Step::Holiday { .. })) {
        Some(Step::Weeks { to: last_to, worked: w, total: t, .. }) if *last_to == from => {
            *last_to = to;
            *w += worked;
            *t = total;
        }
        _ => steps.push(Step::Weeks { from, to, worked, total }),
    }
    Ok(())
}

/// Counts working time down to zero; the instant it hits zero is the deadline.
struct Consume {
    remaining: WorkSpan,
    total: WorkSpan,
    end: Option<i64>,
    /// Start of the first piece, when no whole week came before it.
    first: Option<i64>,
    steps: Option<Vec<Step>>,
}

impl Consume {
    fn record(&mut self, step: Step) {
        if let Some(steps) = &mut self.steps {
            steps.push(step);
        }
    }
}

impl Visitor for Consume {
    fn could_take_week(&self, week_len: WorkSpan) -> bool {
        self.remaining > week_len
    }
    fn take_weeks(&mut self, weeks: &[Week]) -> Result<usize, WalkError> {
        // Only weeks whose running total stays strictly below the target: a
        // deadline at a week's very last second must come out of the day
        // walk, which keeps the interval end.
        let Some(first) = weeks.first() else { return Ok(0) };
        let base = first.cum - first.work;
        let n = weeks.partition_point(|w| w.cum - base < self.remaining);
        if n == 0 {
            return Ok(0);
        }
        let worked = weeks[n - 1].cum - base;
        self.remaining -= worked;
        self.total += worked;
        record_weeks(&mut self.steps, &weeks[..n], self.total)?;
        Ok(n)
    }
    fn take_year(&mut self, year: &YearSum) -> Result<bool, WalkError> {
        // As for weeks, only a year that leaves some target: the deadline
        // comes out of the day walk. And not before the first piece, whose
        // start the day walk reports as the clock start.
        if self.total == WorkSpan::ZERO || year.work >= self.remaining {
            return Ok(false);
        }
        self.remaining -= year.work;
        self.total += year.work;
        Ok(true)
    }
    fn piece(&mut self, day: Day, piece: Segment) -> Result<bool, WalkError> {
        if self.total == WorkSpan::ZERO {
            self.first = Some(piece.start);
        }
        let used = WorkSpan::new(piece.duration()).min(self.remaining);
        self.remaining -= used;
        self.total += used;
        let span = Segment::new(piece.start, piece.start + used.secs());
        if self.steps.is_some() {
            let step = Step::Worked { date: date(day)?, span, total: self.total.secs() };
            self.record(step);
        }
        if self.remaining == WorkSpan::ZERO {
            // End-of-interval rule: a target used up exactly at a window's
            // end stays at that end, never the next opening.
            self.end = Some(span.end);
            return Ok(false);
        }
        Ok(true)
    }
    fn holiday(&mut self, date: NaiveDate, name: &str) {
        self.record(Step::Holiday { date, name: name.to_string() });
    }
    fn paused(&mut self, span: Segment) {
        self.record(Step::Paused { span });
    }
    fn tracing(&self) -> bool {
        self.steps.is_some()
    }
}

/// The result of a [`deadline`] walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// The instant the target is used up.
    pub at: i64,
    /// The clock start, when the walk met it on the way (no pauses, and no
    /// whole week skipped before the first window); else see [`clock_start`].
    pub clock_start: Option<i64>,
    /// What the clock ran through, when asked for.
    pub steps: Vec<Step>,
}

/// The earliest instant at which `work` seconds of working time have elapsed
/// since `opened`, not counting `pauses` (normalized, see
/// [`crate::engine::segment::normalize`]). A zero target answers `opened`.
///
/// # Errors
/// `WalkError` when no working time can be found.
pub fn deadline(
    cal: &Calendar,
    opened: i64,
    work: i64,
    pauses: &[Segment],
    explain: bool,
) -> Result<Deadline, WalkError> {
    if work <= 0 {
        return Ok(Deadline { at: opened, clock_start: None, steps: vec![] });
    }
    let mut v = Consume {
        remaining: WorkSpan::new(work),
        total: WorkSpan::ZERO,
        end: None,
        first: None,
        steps: explain.then(Vec::new),
    };
    walk(cal, opened, pauses, &mut v)?;
    let at = v.end.ok_or(WalkError::OutOfRange)?;
    // Without pauses the first piece counted starts at the clock start.
    let clock_start = if pauses.is_empty() { v.first } else { None };
    // No steps unless asked for (`explain`).
    Ok(Deadline { at, clock_start, steps: v.steps.unwrap_or_default() })
}

/// Sums working time up to an end instant.
struct Measure {
    to: i64,
    total: WorkSpan,
    steps: Option<Vec<Step>>,
}

impl Visitor for Measure {
    fn could_take_week(&self, _week_len: WorkSpan) -> bool {
        true
    }
    fn take_weeks(&mut self, weeks: &[Week]) -> Result<usize, WalkError> {
        let n = weeks.partition_point(|w| w.span.end <= self.to);
        if n == 0 {
            return Ok(0);
        }
        let base = weeks[0].cum - weeks[0].work;
        self.total += weeks[n - 1].cum - base;
        record_weeks(&mut self.steps, &weeks[..n], self.total)?;
        Ok(n)
    }
    fn take_year(&mut self, year: &YearSum) -> Result<bool, WalkError> {
        if year.span.end > self.to {
            return Ok(false);
        }
        self.total += year.work;
        Ok(true)
    }
    fn years_end_by(&self) -> i64 {
        self.to
    }
    fn could_take_days(&self, midnight: i64) -> bool {
        self.to > midnight + 2 * DAY
    }
    fn take_days(&mut self, run: &DayRun) -> Result<usize, WalkError> {
        // Days whose every segment ends before `to`: the day walk would
        // count each whole and go on.
        let n = run.end_by.partition_point(|&e| e < self.to);
        self.total += WorkSpan::new(run.work_before[n] - run.work_before[0]);
        Ok(n)
    }
    fn piece(&mut self, day: Day, piece: Segment) -> Result<bool, WalkError> {
        if piece.start >= self.to {
            return Ok(false);
        }
        let span = Segment::new(piece.start, piece.end.min(self.to));
        self.total += WorkSpan::new(span.duration());
        if let Some(steps) = &mut self.steps {
            steps.push(Step::Worked { date: date(day)?, span, total: self.total.secs() });
        }
        Ok(piece.end < self.to)
    }
    fn holiday(&mut self, date: NaiveDate, name: &str) {
        if let Some(steps) = &mut self.steps {
            steps.push(Step::Holiday { date, name: name.to_string() });
        }
    }
    fn paused(&mut self, span: Segment) {
        if span.start < self.to
            && let Some(steps) = &mut self.steps
        {
            steps.push(Step::Paused { span: Segment::new(span.start, span.end.min(self.to)) });
        }
    }
    fn tracing(&self) -> bool {
        self.steps.is_some()
    }
}

/// The result of an [`elapsed`] walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elapsed {
    /// Working seconds between the two instants.
    pub seconds: i64,
    /// What the clock ran through, when asked for.
    pub steps: Vec<Step>,
}

/// Working seconds in `[from, to)`, not counting `pauses` (normalized). Zero
/// when `to` is not after `from`. The exact inverse of [`deadline`]:
/// `elapsed(o, deadline(o, d)) == d`.
///
/// # Errors
/// `WalkError` when the walk leaves the supported years.
pub fn elapsed(cal: &Calendar, from: i64, to: i64, pauses: &[Segment], explain: bool) -> Result<Elapsed, WalkError> {
    if to <= from {
        return Ok(Elapsed { seconds: 0, steps: vec![] });
    }
    let mut v = Measure { to, total: WorkSpan::ZERO, steps: explain.then(Vec::new) };
    walk(cal, from, pauses, &mut v)?;
    // No steps unless asked for (`explain`).
    Ok(Elapsed { seconds: v.total.secs(), steps: v.steps.unwrap_or_default() })
}

/// Finds the first working instant.
struct First(Option<i64>);

impl Visitor for First {
    fn could_take_week(&self, _week_len: WorkSpan) -> bool {
        false
    }
    fn take_weeks(&mut self, _weeks: &[Week]) -> Result<usize, WalkError> {
        Ok(0)
    }
    fn piece(&mut self, _day: Day, piece: Segment) -> Result<bool, WalkError> {
        self.0 = Some(piece.start);
        Ok(false)
    }
}

/// The first working instant at or after `t` (pauses do not matter: SPEC §2).
///
/// # Errors
/// `WalkError` when no working time can be found.
pub fn clock_start(cal: &Calendar, t: i64) -> Result<i64, WalkError> {
    clock_start_in(cal, &mut Pooled::take(cal), t)
}

/// [`clock_start`] with the caller's cursor (see [`walk_in`]).
pub(crate) fn clock_start_in(cal: &Calendar, cursor: &mut YearCursor, t: i64) -> Result<i64, WalkError> {
    let mut v = First(None);
    walk_in(cal, cursor, t, &[], &mut v)?;
    v.0.ok_or(WalkError::OutOfRange)
}

/// The walks as they were before years were skipped (weeks and days only),
/// for the tests to check the year sums against.
#[cfg(test)]
pub(crate) mod by_weeks {
    use super::*;

    /// A visitor with its [`Visitor::take_year`] turned off.
    struct NoYears<'a, V>(&'a mut V);

    impl<V: Visitor> Visitor for NoYears<'_, V> {
        fn could_take_week(&self, week_len: WorkSpan) -> bool {
            self.0.could_take_week(week_len)
        }
        fn take_weeks(&mut self, weeks: &[Week]) -> Result<usize, WalkError> {
            self.0.take_weeks(weeks)
        }
        fn piece(&mut self, day: Day, piece: Segment) -> Result<bool, WalkError> {
            self.0.piece(day, piece)
        }
    }

    /// [`deadline`] without year steps: the deadline and the clock start.
    pub(crate) fn deadline(cal: &Calendar, opened: i64, work: i64, pauses: &[Segment]) -> Result<Deadline, WalkError> {
        if work <= 0 {
            return super::deadline(cal, opened, work, pauses, false);
        }
        let mut v =
            Consume { remaining: WorkSpan::new(work), total: WorkSpan::ZERO, end: None, first: None, steps: None };
        walk(cal, opened, pauses, &mut NoYears(&mut v))?;
        let at = v.end.ok_or(WalkError::OutOfRange)?;
        Ok(Deadline { at, clock_start: if pauses.is_empty() { v.first } else { None }, steps: vec![] })
    }

    /// [`elapsed`] without year steps.
    pub(crate) fn elapsed(cal: &Calendar, from: i64, to: i64, pauses: &[Segment]) -> Result<i64, WalkError> {
        if to <= from {
            return Ok(0);
        }
        let mut v = Measure { to, total: WorkSpan::ZERO, steps: None };
        walk(cal, from, pauses, &mut NoYears(&mut v))?;
        Ok(v.total.secs())
    }
}
