//! A ticket's status needs a deadline walk (consume the target) and an
//! elapsed walk (measure up to `until`) over the same calendar from the same
//! start; `batch` pays for both on every row. [`deadline_and_elapsed`] answers
//! both, and the clock start, from ONE `walk`, with a visitor that is
//! [`timeline`](super::timeline)'s `Consume` and `Measure` side by side.
//!
//! The two visitors must agree on every step of a shared walk: a whole-week
//! run is taken only as far as both would take it (the rest of what one of
//! them would have taken is walked day by day, which counts the same working
//! time: the week tables are sums of the days). A visitor that is done takes
//! whatever the other wants. Only the error cases can differ from the two
//! separate walks (the horizon counts from the last working day, which a day
//! walk sets earlier than a week jump), so on any error the caller goes back
//! to the separate walks.

use super::calendar::Calendar;
use super::calendar::cursor::{Pooled, YearCursor};
use super::calendar::year::{DayRun, Week};
use super::calendar::yearsum::YearSum;
use super::day::{DAY, Day, WorkSpan};
use super::segment::Segment;
use super::timeline::{FIRST_DAY, LAST_DAY, Visitor, WalkError, clock_start_in, walk_in};

/// What a status needs from the calendar, in UTC seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The instant the target is used up (`opened` for a target ≤ 0); `None`
    /// when there is no target.
    pub deadline: Option<i64>,
    /// The first working instant at or after `opened` (pauses ignored).
    pub clock_start: i64,
    /// Working seconds in `[opened, until)` outside the pauses.
    pub elapsed: i64,
}

/// `Consume` (while `consuming`) and `Measure` (while `measuring`) on one walk.
struct Both {
    consuming: bool,
    /// Target left to use up.
    remaining: WorkSpan,
    /// Where the target was used up.
    end: Option<i64>,
    measuring: bool,
    /// End of the elapsed span.
    to: i64,
    /// Working time measured so far.
    measured: WorkSpan,
    /// Whether a week or a piece was counted yet (`Consume`'s `total > 0`).
    started: bool,
    /// Start of the first piece, when no whole week came before it.
    first: Option<i64>,
}

impl Visitor for Both {
    fn could_take_week(&self, week_len: WorkSpan) -> bool {
        // `Measure` always could.
        !self.consuming || self.remaining > week_len
    }

    fn take_weeks(&mut self, weeks: &[Week]) -> Result<usize, WalkError> {
        let Some(first) = weeks.first() else { return Ok(0) };
        let base = first.cum - first.work;
        // `Consume`: weeks whose running total stays strictly below the
        // target (the last second of a target comes out of the day walk).
        let by_consume =
            if self.consuming { weeks.partition_point(|w| w.cum - base < self.remaining) } else { weeks.len() };
        // `Measure`: weeks that end by `to`.
        let by_measure = if self.measuring { weeks.partition_point(|w| w.span.end <= self.to) } else { weeks.len() };
        let n = by_consume.min(by_measure);
        if n == 0 {
            return Ok(0);
        }
        let worked = weeks[n - 1].cum - base;
        if self.consuming {
            self.remaining -= worked;
        }
        if self.measuring {
            self.measured += worked;
        }
        self.started = true;
        Ok(n)
    }

    fn take_year(&mut self, year: &YearSum) -> Result<bool, WalkError> {
        // Both must take it whole: `Consume` only after its first piece or
        // week and while some target is left, `Measure` when the year ends
        // by `to`. A visitor that is done takes whatever the other wants.
        if self.consuming && (!self.started || year.work >= self.remaining) {
            return Ok(false);
        }
        if self.measuring && year.span.end > self.to {
            return Ok(false);
        }
        if self.consuming {
            self.remaining -= year.work;
        }
        if self.measuring {
            self.measured += year.work;
        }
        Ok(true)
    }

    fn could_take_days(&self, midnight: i64) -> bool {
        // Once the deadline is found (and the clock start with it), as
        // `Measure` does, when a whole day may end before `to`.
        self.started && !self.consuming && self.measuring && self.to > midnight + 2 * DAY
    }

    fn take_days(&mut self, run: &DayRun) -> Result<usize, WalkError> {
        let n = run.end_by.partition_point(|&e| e < self.to);
        self.measured += WorkSpan::new(run.work_before[n] - run.work_before[0]);
        Ok(n)
    }

    fn years_end_by(&self) -> i64 {
        // `Consume` has no such bound.
        if self.measuring { self.to } else { i64::MAX }
    }

    fn piece(&mut self, _day: Day, piece: Segment) -> Result<bool, WalkError> {
        if !self.started {
            self.first = Some(piece.start);
            self.started = true;
        }
        if self.consuming {
            let used = WorkSpan::new(piece.duration()).min(self.remaining);
            self.remaining -= used;
            if self.remaining == WorkSpan::ZERO {
                // End-of-interval rule: used up exactly at a window's end
                // stays at that end.
                self.end = Some(piece.start + used.secs());
                self.consuming = false;
            }
        }
        if self.measuring {
            if piece.start >= self.to {
                self.measuring = false;
            } else {
                self.measured += WorkSpan::new(piece.end.min(self.to) - piece.start);
                self.measuring = piece.end < self.to;
            }
        }
        Ok(self.consuming || self.measuring)
    }
}

/// [`deadline`](super::deadline)`(cal, opened, work, pauses)` (when `work` is
/// given), [`clock_start`](super::timeline::clock_start)`(cal, opened)` and
/// [`elapsed`](super::elapsed)`(cal, opened, until, pauses)` from one walk,
/// without steps. The values are those of the separate walks.
///
/// # Errors
/// [`WalkError`] when the walk cannot answer; the separate walks may then
/// still answer, or fail with another date: a caller that must match them
/// runs them.
pub(crate) fn deadline_and_elapsed(
    cal: &Calendar,
    opened: i64,
    work: Option<i64>,
    until: i64,
    pauses: &[Segment],
) -> Result<Answer, WalkError> {
    deadline_and_elapsed_in(cal, &mut Pooled::take(cal), opened, work, until, pauses)
}

/// [`deadline_and_elapsed`] with the caller's cursor on `cal`'s year tables
/// (see [`walk_in`]).
///
/// # Errors
/// As [`deadline_and_elapsed`].
pub(crate) fn deadline_and_elapsed_in(
    cal: &Calendar,
    cursor: &mut YearCursor,
    opened: i64,
    work: Option<i64>,
    until: i64,
    pauses: &[Segment],
) -> Result<Answer, WalkError> {
    if pauses.is_empty()
        && let Some(a) = within_a_year(cal, cursor, opened, work, until)
    {
        return Ok(a);
    }
    let consuming = work.is_some_and(|w| w > 0);
    let mut v = Both {
        consuming,
        remaining: WorkSpan::new(work.unwrap_or(0).max(0)),
        end: None,
        measuring: until > opened,
        to: until,
        measured: WorkSpan::ZERO,
        started: false,
        first: None,
    };
    if v.consuming || v.measuring {
        walk_in(cal, cursor, opened, pauses, &mut v)?;
    }
    let deadline = match work {
        Some(_) if consuming => Some(v.end.ok_or(WalkError::OutOfRange)?),
        Some(_) => Some(opened),
        None => None,
    };
    // Without pauses the first piece walked is the clock start.
    let clock_start = match v.first {
        Some(t) if pauses.is_empty() => t,
        _ => clock_start_in(cal, cursor, opened)?,
    };
    Ok(Answer { deadline, clock_start, elapsed: v.measured.secs() })
}

/// [`deadline_and_elapsed_in`] without pauses for a walk that would stay
/// within one year's day table, from its [`YearLine`](super::calendar::year::YearLine)
/// by binary searches instead of day steps (a `batch` row spans hours or
/// months of one year: a walk of a few days, weeks and days again, about
/// 1,000 instructions, against a few searches). `None` when the walk would
/// leave the year (or start before it), could meet one of its errors (the
/// holiday sets' first and last years, the supported years), or the table's
/// segments are not in time order: the walk then answers.
///
/// The walk's answer, without pauses, is that of the day-by-day reference
/// (its week, day and year steps are sums of days): the segments of the
/// days from the walk's first day on, clipped at `opened`, counted in time
/// order. Elapsed: their working time in `[opened, until)`, once a segment
/// ending at or after `until` is in the year (where the walk stops
/// measuring). Deadline: where their running total reaches `work`, at a
/// segment's end when it reaches it there. Clock start: the first of them
/// that is not empty, clipped at `opened`.
fn within_a_year(
    cal: &Calendar,
    cursor: &mut YearCursor,
    opened: i64,
    work: Option<i64>,
    until: i64,
) -> Option<Answer> {
    // The walk's first day, as it works it out.
    let start_day = cal.local_day_cached(opened, cursor);
    let first = start_day - (cal.reach_days() - 1);
    let info = cursor.for_day(cal, first);
    let (year_start, year_end) = info.days();
    // Every day the walk visits lies in `first..year_end`: none of its
    // checks fails there.
    if !info.contains(start_day) || first < FIRST_DAY || year_end - 1 > LAST_DAY {
        return None;
    }
    if cal.data_from().is_some_and(|d| first < d.start()) || cal.horizon().is_some_and(|h| year_end > h.end()) {
        return None;
    }
    let line = info.line(cal)?;
    let from = *line.day_starts.get(usize::try_from(first - year_start).ok()?)? as usize;
    let segs = line.segments.get(from..)?;
    let cum = line.cum.get(from..)?;
    // Working time of the walk's segments before instant `t`, given the
    // first segment `k` that ends after `t` (they are in time order: those
    // before `k`, and a part of `k`).
    let before = |t: i64, k: usize| cum[k] - cum[0] + segs.get(k).map_or(0, |s| (t - s.start).max(0));
    // Every search starts where the last one stopped: a ticket's times are
    // a few segments apart, found in a few steps (see `gallop`).
    let k = gallop(segs, 0, |s| s.end <= opened);
    let clock_start = segs.get(k..)?.iter().find(|s| !s.is_empty())?.start.max(opened);
    let at_opened = before(opened, k);
    let deadline = match work {
        Some(w) if w > 0 => {
            let goal = at_opened + w;
            // Segments before `k` end by `opened`: their totals are below the goal.
            let j = gallop(&cum[1..], k, |&c| c - cum[0] < goal);
            let s = segs.get(j)?;
            Some(s.start + (goal - (cum[j] - cum[0])))
        }
        Some(_) => Some(opened),
        None => None,
    };
    let elapsed = if until > opened {
        // The walk stops measuring at the first segment that ends at or
        // after `until`: it must be in the year.
        if line.last_end < until {
            return None;
        }
        before(until, gallop(segs, k, |s| s.end <= until)) - at_opened
    } else {
        0
    };
    Some(Answer { deadline, clock_start, elapsed })
}

/// `from + xs[from..].partition_point(pred)` (`pred` holds on `xs[..from]`),
/// searched in steps that double from `from` on, then by halves: a point
/// `d` places on is found in about `2 log d` steps, not `log xs.len()`.
fn gallop<T>(xs: &[T], from: usize, pred: impl Fn(&T) -> bool) -> usize {
    let mut lo = from.min(xs.len());
    let mut step = 1;
    // `pred` holds on `xs[..lo]`.
    while lo + step <= xs.len() && pred(&xs[lo + step - 1]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(xs.len());
    lo + xs[lo..hi].partition_point(pred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment::normalize;
    use crate::engine::tests::any_calendar;
    use crate::engine::{clock_start, deadline, elapsed};
    use proptest::prelude::*;

    /// The three separate walks, as `sla::status` ran them.
    fn separate(
        cal: &Calendar,
        opened: i64,
        work: Option<i64>,
        until: i64,
        pauses: &[Segment],
    ) -> Result<Answer, WalkError> {
        let (at, met) = match work {
            Some(w) => {
                let d = deadline(cal, opened, w, pauses, false)?;
                (Some(d.at), d.clock_start)
            }
            None => (None, None),
        };
        let clock_start = match met {
            Some(t) => t,
            None => clock_start(cal, opened)?,
        };
        let elapsed = elapsed(cal, opened, until, pauses, false)?.seconds;
        Ok(Answer { deadline: at, clock_start, elapsed })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000), ..ProptestConfig::default() })]

        #[test]
        fn one_walk_answers_what_the_separate_walks_do(
            cal in any_calendar(),
            opened_off in 0i64..(8 * 365 * 86_400),
            work in proptest::option::weighted(0.9, prop_oneof![0i64..(40 * 3600), 0i64..(3000 * 3600), Just(0i64)]),
            until_off in prop_oneof![-3600i64..(3 * 86_400), 0i64..(60 * 86_400), 0i64..(400 * 86_400)],
            pauses in proptest::collection::vec((0i64..(20 * 86_400), 0i64..(3 * 86_400)), 0..3),
        ) {
            let opened = 1_704_067_200 + opened_off; // from 2024-01-01
            let until = opened + until_off;
            let pauses = normalize(pauses.iter().map(|&(s, l)| Segment::new(opened - 86_400 + s, opened - 86_400 + s + l)).collect());
            let want = separate(&cal, opened, work, until, &pauses);
            if let Ok(got) = deadline_and_elapsed(&cal, opened, work, until, &pauses) {
                prop_assert_eq!(Ok(got), want);
            }
        }

        #[test]
        fn until_the_deadline_or_around_it_too(
            cal in any_calendar(),
            opened_off in 0i64..(8 * 365 * 86_400),
            work in prop_oneof![1i64..(40 * 3600), 1i64..(3000 * 3600)],
            shift in prop_oneof![Just(0i64), -3600i64..3600, -(8 * 86_400i64)..(8 * 86_400)],
        ) {
            // The elapsed end at, or near, the deadline: where the two
            // visitors stop on the same window or week.
            let opened = 1_704_067_200 + opened_off;
            let due = deadline(&cal, opened, work, &[], false).expect("deadline").at;
            let until = due + shift;
            let want = separate(&cal, opened, Some(work), until, &[]);
            prop_assert_eq!(deadline_and_elapsed(&cal, opened, Some(work), until, &[]), want);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(500), ..ProptestConfig::default() })]

        /// Days taken whole from the day table (a ticket measured for weeks
        /// or months after its deadline, ending mid-week) count what the
        /// naive day-by-day reference counts, with pauses anywhere, for the
        /// one walk and for `elapsed`.
        #[test]
        fn whole_days_count_what_the_day_walk_counts(
            cal in any_calendar(),
            opened_off in 0i64..(8 * 365 * 86_400),
            work in prop_oneof![Just(None), (0i64..(30 * 3600)).prop_map(Some), (0i64..(300 * 3600)).prop_map(Some)],
            until_off in prop_oneof![0i64..(20 * 86_400), 0i64..(200 * 86_400)],
            pauses in proptest::collection::vec((0i64..(60 * 86_400), 0i64..(3 * 86_400)), 0..3),
        ) {
            let opened = 1_704_067_200 + opened_off;
            let until = opened + until_off;
            let pauses = normalize(pauses.iter().map(|&(s, l)| Segment::new(opened + s, opened + s + l)).collect());
            let naive = crate::engine::tests::naive_elapsed(&cal, opened, until, &pauses);
            prop_assert_eq!(elapsed(&cal, opened, until, &pauses, false).map(|e| e.seconds), Ok(naive));
            if let Some(w) = work
                && let Ok(d) = deadline(&cal, opened, w, &pauses, false)
            {
                prop_assert_eq!(d.at, crate::engine::tests::naive_deadline(&cal, opened, w, &pauses));
            }
            if let Ok(got) = deadline_and_elapsed(&cal, opened, work, until, &pauses) {
                prop_assert_eq!(got.elapsed, naive);
                prop_assert_eq!(Ok(got), separate(&cal, opened, work, until, &pauses));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Spans of decades and centuries anywhere in 1583..=9999: the walk
        /// offers whole years, which both sides must take alike.
        #[test]
        fn across_many_years_too(
            cal in any_calendar(),
            opened in -12_000_000_000i64..250_000_000_000,
            work in prop_oneof![1i64..(40 * 3600), 1i64..(200_000 * 3600)],
            until_off in prop_oneof![0i64..(400 * 86_400), 0i64..(300 * 365 * 86_400)],
            pause in proptest::option::of((0i64..(200 * 365 * 86_400), 0i64..(30 * 86_400))),
        ) {
            let until = (opened + until_off).min(253_402_214_400);
            let pauses = normalize(pause.map(|(s, l)| Segment::new(opened + s, opened + s + l)).into_iter().collect());
            let want = separate(&cal, opened, Some(work), until, &pauses);
            if let Ok(got) = deadline_and_elapsed(&cal, opened, Some(work), until, &pauses) {
                prop_assert_eq!(Ok(got), want);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

        /// The answer from a year's segments (no pauses) is the separate
        /// walks', wherever it is given: spans of minutes to months, near
        /// the year's ends and DST changes, targets used up at a window's
        /// very end, calendars with overnight windows and holiday horizons.
        #[test]
        fn a_year_line_answers_what_the_walks_do(
            cal in any_calendar(),
            opened_off in prop_oneof![0i64..(8 * 365 * 86_400), (0i64..8).prop_map(|y| y * 365 * 86_400 + 364 * 86_400)],
            work in proptest::option::weighted(0.9, prop_oneof![0i64..(40 * 3600), 0i64..(3000 * 3600), Just(0i64)]),
            until_off in prop_oneof![-3600i64..(3 * 86_400), 0i64..(60 * 86_400), 0i64..(400 * 86_400)],
            at_deadline in any::<bool>(),
        ) {
            let opened = 1_704_067_200 + opened_off;
            let mut until = opened + until_off;
            if at_deadline
                && let Some(w) = work
                && let Ok(d) = deadline(&cal, opened, w, &[], false)
            {
                until = d.at;
            }
            let mut cursor = YearCursor::new();
            if let Some(got) = within_a_year(&cal, &mut cursor, opened, work, until) {
                prop_assert_eq!(Ok(got), separate(&cal, opened, work, until, &[]));
            }
        }
    }

    proptest! {
        /// A galloping search finds what a binary search finds.
        #[test]
        fn gallop_is_partition_point(mut xs in proptest::collection::vec(0i64..1000, 0..300), t in 0i64..1000, from in 0usize..300) {
            xs.sort_unstable();
            let want = xs.partition_point(|&x| x <= t);
            prop_assert_eq!(gallop(&xs, from.min(want), |&x| x <= t), want);
        }
    }

    #[test]
    fn a_year_line_answers_spans_within_a_year() {
        // Business hours (Paris, split days, holidays) and 24x7: a ticket
        // opened in spring, answered in days, or still open in autumn.
        let plans = crate::PlanSet::load(&[]).expect("embedded plans");
        let gold = plans.get("apizee-gold").expect("gold");
        let opened = 1_776_070_800; // 2026-04-13T09:00:00Z, a Monday
        for clock in [crate::plan::Clock::Business, crate::plan::Clock::Always] {
            let cal = gold.calendar_for(clock);
            for until in [opened + 3 * 86_400, opened + 180 * 86_400] {
                let mut cursor = YearCursor::new();
                let got = within_a_year(&cal, &mut cursor, opened, Some(4 * 3600), until);
                assert_eq!(got.map(Ok), Some(separate(&cal, opened, Some(4 * 3600), until, &[])));
            }
        }
    }

    #[test]
    fn no_target_and_empty_spans_need_no_walk() {
        let cal = Calendar::always();
        let t = 1_704_067_200;
        assert_eq!(
            deadline_and_elapsed(&cal, t, None, t, &[]),
            Ok(Answer { deadline: None, clock_start: t, elapsed: 0 })
        );
        assert_eq!(
            deadline_and_elapsed(&cal, t, Some(0), t + 60, &[]),
            Ok(Answer { deadline: Some(t), clock_start: t, elapsed: 60 })
        );
        assert_eq!(
            deadline_and_elapsed(&cal, t, Some(30), t + 60, &[]),
            Ok(Answer { deadline: Some(t + 30), clock_start: t, elapsed: 60 })
        );
    }
}
