//! Several SLA clocks per ticket, replayed from its events (SPEC §5), as
//! pure functions of (plan, events, now).
//!
//! One engine: a cycle is a sequence of [`Span`]s, each with the calendar of
//! the clock in force during it and whether it counts. Its elapsed time is
//! the sum of [`engine::elapsed`] over the counting spans, each on its own
//! calendar; its deadline is found by [`engine::deadline`] inside the span
//! where that sum reaches the target, or from the cycle's end on the clock in
//! force there. No walk is written here.

use std::sync::Arc;

use crate::engine::{self, Calendar, Target};
use crate::error::Result;
use crate::plan::lifecycle::{Metric, OnPriorityChange, StatusClass};
use crate::plan::{Clock, Plan};
use crate::sla::ClockState;

/// Whether a span of a cycle counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpanKind {
    /// The clock runs.
    Counts,
    /// A pause (a class in the metric's `pause_on`): reported in `paused_seconds`.
    Paused,
    /// Time the metric does not measure at all (a solved ticket's resolution).
    Excluded,
}

/// A stretch `[start, end)` of a cycle on one clock.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    /// First instant.
    pub start: i64,
    /// End, exclusive.
    pub end: i64,
    /// The calendar of the clock in force.
    pub calendar: Arc<Calendar>,
    /// Whether it counts.
    pub kind: SpanKind,
}

/// Working seconds of each span on its own calendar.
///
/// # Errors
/// [`crate::Error::Walk`] when a walk leaves the supported years.
#[cfg(test)]
pub(crate) fn span_seconds(spans: &[Span]) -> Result<Vec<i64>> {
    let mut secs = Vec::new();
    span_seconds_into(spans, &mut secs)?;
    Ok(secs)
}

/// [`span_seconds`] into `secs` (emptied first).
fn span_seconds_into(spans: &[Span], secs: &mut Vec<i64>) -> Result<()> {
    secs.clear();
    for s in spans {
        secs.push(engine::elapsed(&s.calendar, s.start, s.end, &[], false)?.seconds);
    }
    Ok(())
}

fn sum(spans: &[Span], secs: &[i64]) -> (i64, i64) {
    let mut elapsed = 0;
    let mut paused = 0;
    for (s, n) in spans.iter().zip(secs) {
        match s.kind {
            SpanKind::Counts => elapsed += n,
            SpanKind::Paused => paused += n,
            SpanKind::Excluded => {}
        }
    }
    (elapsed, paused)
}

/// The earliest instant at which the counting spans' elapsed time reaches
/// `target`: inside the span where the running sum reaches it, else by
/// running on from `tail_from` on `tail` (the clock in force at the cycle's
/// end, assumed to keep counting). `secs` are [`span_seconds`] of `spans`.
///
/// # Errors
/// [`crate::Error::Walk`] when no working time can be found.
pub(crate) fn deadline_over(spans: &[Span], secs: &[i64], target: i64, tail: &Calendar, tail_from: i64) -> Result<i64> {
    let mut used = 0;
    for (s, n) in spans.iter().zip(secs) {
        if s.kind != SpanKind::Counts {
            continue;
        }
        if used + n >= target {
            return Ok(engine::deadline(&s.calendar, s.start, target - used, &[], false)?.at);
        }
        used += n;
    }
    Ok(engine::deadline(tail, tail_from, target - used, &[], false)?.at)
}

/// Who wrote a public reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Author {
    /// The support team.
    Agent,
    /// The requester.
    Customer,
}

/// What happened to a ticket. Priorities are indexes into the plan's
/// `priorities` (`None` on a plan without levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// The ticket was created at this priority.
    Created(Option<usize>),
    /// A public reply.
    Reply(Author),
    /// A status change, already mapped to its class.
    Status(StatusClass),
    /// A priority change.
    Priority(Option<usize>),
}

impl EventKind {
    fn name(&self) -> &'static str {
        match self {
            EventKind::Created(_) => "created",
            EventKind::Reply(_) => "reply",
            EventKind::Status(_) => "status",
            EventKind::Priority(_) => "priority",
        }
    }
}

/// One event of a ticket, with the input line it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Event {
    /// When, in UTC seconds.
    pub at: i64,
    /// Input line (for messages).
    pub line: u64,
    /// What.
    pub kind: EventKind,
}

/// Why a ticket cannot be replayed: the line and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LifecycleError {
    /// Input line.
    pub line: u64,
    /// What is wrong, naming the value.
    pub message: String,
}

impl std::fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One (metric, cycle) of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CycleRow {
    /// The metric.
    pub metric: Metric,
    /// 1 for first response and resolution; 1, 2, … for next responses.
    pub cycle: u32,
    /// When the cycle started.
    pub start: i64,
    /// When it stopped, if it did (by now).
    pub stop: Option<i64>,
    /// The target of the priority it is evaluated on.
    pub target: Target,
    /// Working seconds of the target, `None` without commitment.
    pub target_seconds: Option<i64>,
    /// The clock of that priority.
    pub clock: Clock,
    /// The deadline; `None` without commitment, or paused before the target.
    pub deadline: Option<i64>,
    /// Working seconds counted.
    pub elapsed: i64,
    /// Working seconds pauses took off.
    pub paused: i64,
    /// Target minus elapsed (≤ 0 once overdue); `None` without commitment.
    pub remaining: Option<i64>,
    /// The state.
    pub state: ClockState,
}

/// A replayed ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TicketAnswer {
    /// The priority in force at the end (index into the plan's priorities).
    pub priority: Option<usize>,
    /// One row per (metric, cycle), metrics in [`Metric::ALL`] order.
    pub rows: Vec<CycleRow>,
}

/// The target of `metric` at priority `p`; `None` when the metric is not tracked.
pub(crate) fn target_of(plan: &Plan, p: Option<usize>, metric: Metric) -> Option<Target> {
    let level = p.and_then(|i| plan.priorities.get(i));
    match metric {
        Metric::FirstResponse => Some(match (level, &plan.default_target) {
            (Some(l), _) => l.target,
            (None, Some((t, _))) => *t,
            (None, None) => plan.priorities.first().map_or(Target::None, |l| l.target),
        }),
        Metric::NextResponse => level.and_then(|l| l.next_response.as_ref()).map(|t| t.target),
        Metric::Resolution => level.and_then(|l| l.resolution.as_ref()).map(|t| t.target),
    }
}

/// The clock of `metric` under priority `p`: the metric's own calendar if
/// the plan gives it one, else the priority's clock.
fn clock_of(plan: &Plan, p: Option<usize>, metric: Metric) -> Clock {
    if let Some(c) = plan.lifecycle.clock(metric) {
        return c;
    }
    p.and_then(|i| plan.priorities.get(i)).map_or(Clock::Business, |l| l.clock)
}

/// What the events made of a ticket: its class and priority over time and
/// the start and stop of each cycle.
#[derive(Default)]
struct History {
    /// (from, class), from the creation on, in time order.
    classes: Vec<(i64, StatusClass)>,
    /// (from, priority), from the creation on, in time order.
    priorities: Vec<(i64, Option<usize>)>,
    first: (i64, Option<i64>),
    next: Vec<(i64, Option<i64>)>,
    resolution: (i64, Option<i64>),
}

/// The value in force at `t` (after every change at `t`), and when the next change comes.
fn at<T: Copy>(list: &[(i64, T)], t: i64) -> (T, Option<i64>) {
    let i = list.partition_point(|(from, _)| *from <= t).max(1);
    (list[i - 1].1, list.get(i).map(|(from, _)| *from))
}

/// The [`History`] of `events` as of `now` into `h` (its buffers reused);
/// false when no event happened by `now`.
fn history(events: &[Event], now: i64, h: &mut History) -> std::result::Result<bool, LifecycleError> {
    let mut it = events.iter().filter(|e| e.at <= now);
    let Some(first) = it.next() else { return Ok(false) };
    let EventKind::Created(p0) = first.kind else {
        return Err(LifecycleError {
            line: first.line,
            message: format!("{} event before the ticket's created event (expected created first)", first.kind.name()),
        });
    };
    let t0 = first.at;
    h.classes.clear();
    h.classes.push((t0, StatusClass::Open));
    h.priorities.clear();
    h.priorities.push((t0, p0));
    h.first = (t0, None);
    h.next.clear();
    h.resolution = (t0, None);
    let mut class = StatusClass::Open;
    let mut priority = p0;
    let mut replied = false;
    let mut prev = first;
    let mut closed: Option<&Event> = None;
    for e in it {
        let t = e.at;
        let fail = |message: String| Err(LifecycleError { line: e.line, message });
        if let Some(c) = closed {
            return fail(format!(
                "{} event after the ticket was closed (line {}): closed is final",
                e.kind.name(),
                c.line
            ));
        }
        if t < prev.at {
            return fail(format!(
                "{} event goes back in time: it is {} s before the ticket's previous event (line {})",
                e.kind.name(),
                prev.at - t,
                prev.line
            ));
        }
        prev = e;
        let running_next = h.next.last().is_some_and(|(_, stop)| stop.is_none());
        match e.kind {
            EventKind::Created(_) => {
                return fail(format!("a second created event (the ticket was created at line {})", first.line));
            }
            EventKind::Reply(Author::Agent) => {
                if h.first.1.is_none() {
                    h.first.1 = Some(t);
                }
                if running_next && let Some(c) = h.next.last_mut() {
                    c.1 = Some(t);
                }
                replied = true;
            }
            EventKind::Reply(Author::Customer) => {
                if class == StatusClass::Solved {
                    class = StatusClass::Open;
                    h.classes.push((t, class));
                    h.resolution.1 = None;
                }
                if replied && !running_next {
                    h.next.push((t, None));
                }
            }
            EventKind::Status(c) => {
                if c == class {
                    continue;
                }
                if c.is_done() {
                    if h.first.1.is_none() {
                        h.first.1 = Some(t);
                    }
                    if running_next && let Some(n) = h.next.last_mut() {
                        n.1 = Some(t);
                    }
                    if !class.is_done() {
                        h.resolution.1 = Some(t);
                    }
                } else if class.is_done() {
                    h.resolution.1 = None;
                }
                if c == StatusClass::Closed {
                    closed = Some(e);
                }
                class = c;
                h.classes.push((t, c));
            }
            EventKind::Priority(p) => {
                if p != priority {
                    priority = p;
                    h.priorities.push((t, p));
                }
            }
        }
    }
    Ok(true)
}

/// Buffers [`replay_with`] keeps from one ticket to the next: a replay of
/// a million events otherwise spent a tenth of its time allocating them.
#[derive(Default)]
pub(crate) struct Scratch {
    history: History,
    cycles: Vec<(Metric, u32, i64, Option<i64>)>,
    spans: Vec<Span>,
    secs: Vec<i64>,
    /// The rows of the next answer: give an answer's rows back here once
    /// written, to reuse them.
    pub rows: Vec<CycleRow>,
}

/// Replays one ticket's events as of `now`: events after `now` are ignored;
/// a ticket created after `now` gives `Ok(None)`.
///
/// # Errors
/// [`LifecycleError`] for an event before `created`, a second `created`, an
/// event back in time, an event after `closed`, or a walk that finds no
/// working time.
#[cfg(test)]
pub(crate) fn replay(
    plan: &Plan,
    events: &[Event],
    now: i64,
) -> std::result::Result<Option<TicketAnswer>, LifecycleError> {
    replay_with(plan, events, now, &mut Scratch::default())
}

/// [`replay`] with buffers reused from ticket to ticket.
///
/// # Errors
/// As [`replay`].
pub(crate) fn replay_with(
    plan: &Plan,
    events: &[Event],
    now: i64,
    scratch: &mut Scratch,
) -> std::result::Result<Option<TicketAnswer>, LifecycleError> {
    let Scratch { history: h, cycles, spans, secs, rows } = scratch;
    if !history(events, now, h)? {
        return Ok(None);
    }
    let last_line = events.iter().filter(|e| e.at <= now).map(|e| e.line).max().unwrap_or(0);
    let walk_err = |e: crate::Error| LifecycleError { line: last_line, message: e.to_string() };
    let keep = plan.lifecycle.on_priority_change == OnPriorityChange::Keep;
    let created_priority = h.priorities[0].1;
    let final_priority = at(&h.priorities, now).0;
    let mut rows = std::mem::take(rows);
    rows.clear();
    cycles.clear();
    cycles.push((Metric::FirstResponse, 1, h.first.0, h.first.1));
    cycles.extend(h.next.iter().zip(1..).map(|((s, e), n)| (Metric::NextResponse, n, *s, *e)));
    cycles.push((Metric::Resolution, 1, h.resolution.0, h.resolution.1));
    for &(metric, n, start, stop) in cycles.iter() {
        let end = stop.unwrap_or(now);
        let eval = if keep { created_priority } else { at(&h.priorities, end).0 };
        // Which cycles get a row (SPEC §5: "a metric with no target on a
        // priority is not tracked for it"; "a change to a level without
        // commitment makes the cycle no-commitment"): a cycle is tracked
        // when some priority in force during it, from its start to its stop
        // (or now), gives the metric a target. It is evaluated on the
        // priority in force at its end; when that one gives the metric no
        // target at all, the cycle is `no-commitment` (target `none`), as for
        // a `best-effort` or `none` target: a row once tracked never vanishes
        // because the ticket was lowered. A ticket that stays on levels
        // without the target gets no row. With `keep`, only the creation
        // priority counts.
        let target = match target_of(plan, eval, metric) {
            Some(t) => t,
            None if !keep && tracked_during(plan, &h.priorities, start, end, metric) => Target::None,
            None => continue,
        };
        spans.clear();
        let mut t = start;
        while t < end {
            let (class, next_class) = at(&h.classes, t);
            let (p, next_p) = if keep { (created_priority, None) } else { at(&h.priorities, t) };
            let stop_at = [next_class, next_p].into_iter().flatten().fold(end, i64::min);
            let kind = if class.is_done() {
                SpanKind::Excluded
            } else if plan.lifecycle.pauses(metric, class) {
                SpanKind::Paused
            } else {
                SpanKind::Counts
            };
            // Consecutive pieces on the same clock and kind are one span.
            let calendar = plan.calendar_for(clock_of(plan, p, metric));
            match spans.last_mut() {
                Some(Span { end: e, calendar: c, kind: k, .. })
                    if *e == t && *k == kind && Arc::ptr_eq(c, &calendar) =>
                {
                    *e = stop_at;
                }
                _ => spans.push(Span { start: t, end: stop_at, calendar, kind }),
            }
            t = stop_at;
        }
        let clock = clock_of(plan, eval, metric);
        let tail = plan.calendar_for(clock);
        let paused_now = stop.is_none() && spans.last().is_some_and(|s| s.kind != SpanKind::Counts);
        let row = evaluate(spans, secs, target, &tail, stop, end, paused_now, plan.lifecycle.at_risk_basis_points)
            .map_err(walk_err)?;
        rows.push(CycleRow { metric, cycle: n, start, stop, target, clock, ..row });
    }
    Ok(Some(TicketAnswer { priority: final_priority, rows }))
}

/// Whether a priority in force at some instant of `[start, end]` gives
/// `metric` a target.
fn tracked_during(plan: &Plan, priorities: &[(i64, Option<usize>)], start: i64, end: i64, metric: Metric) -> bool {
    let first = at(priorities, start).0;
    std::iter::once(first)
        .chain(priorities.iter().filter(|(from, _)| *from > start && *from <= end).map(|(_, p)| *p))
        .any(|p| target_of(plan, p, metric).is_some())
}

/// The figures and state of one cycle over `spans`, which end at `end`
/// (its stop, or now).
#[allow(clippy::too_many_arguments)] // one call site, every argument named there
fn evaluate(
    spans: &[Span],
    secs: &mut Vec<i64>,
    target: Target,
    tail: &Arc<Calendar>,
    stop: Option<i64>,
    end: i64,
    paused_now: bool,
    at_risk_basis_points: i64,
) -> Result<CycleRow> {
    span_seconds_into(spans, secs)?;
    let (elapsed, paused) = sum(spans, secs);
    let target_seconds = target.seconds(tail.business_day()).map(crate::WorkSpan::secs);
    let mut row = CycleRow {
        metric: Metric::FirstResponse,
        cycle: 1,
        start: 0,
        stop,
        target,
        target_seconds,
        clock: Clock::Business,
        deadline: None,
        elapsed,
        paused,
        remaining: None,
        state: ClockState::NoCommitment,
    };
    let Some(goal) = target_seconds else { return Ok(row) };
    row.remaining = Some(goal - elapsed);
    let reached = elapsed >= goal;
    if !reached && paused_now {
        row.state = ClockState::Paused;
        return Ok(row);
    }
    let due = deadline_over(spans, secs, goal, tail, end)?;
    row.deadline = Some(due);
    row.state = match stop {
        Some(s) if s <= due => ClockState::Met,
        Some(_) => ClockState::Missed,
        None if end > due => ClockState::Breached,
        None if elapsed * 10_000 >= goal * at_risk_basis_points => ClockState::AtRisk,
        None => ClockState::Running,
    };
    Ok(row)
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
