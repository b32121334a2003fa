//! How much of the SLA clock is used, and is it breached?

use super::deadline::{Commitment, DeadlineAnswer, Resolved, deadline};
use crate::decimal::BasisPoints;
use crate::engine::day::{Timestamp, WorkSpan};
use crate::engine::{self, Segment, Step, YearCursor};
use crate::error::Result;
use crate::instant::{Display, format_instant};

/// The state of a ticket's SLA clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Under 75 % used.
    Running,
    /// At least 75 % used (or the plan's `at_risk_percent`), deadline not
    /// passed (the deadline instant included).
    AtRisk,
    /// In a pause now, target not yet reached.
    Paused,
    /// Now is after the deadline, no response.
    Breached,
    /// Responded by the deadline.
    Met,
    /// Responded after the deadline.
    Missed,
    /// Best effort or no service level.
    NoCommitment,
}

impl ClockState {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Running => "running",
            ClockState::AtRisk => "at-risk",
            ClockState::Paused => "paused",
            ClockState::Breached => "breached",
            ClockState::Met => "met",
            ClockState::Missed => "missed",
            ClockState::NoCommitment => "no-commitment",
        }
    }

    /// True for the states `--check` fails on.
    pub fn is_failure(self) -> bool {
        matches!(self, ClockState::Breached | ClockState::Missed)
    }
}

/// A status answer.
#[derive(Debug, Clone)]
pub struct StatusAnswer {
    /// The deadline part.
    pub deadline: DeadlineAnswer,
    /// Responded instant, if given.
    pub responded: Option<Timestamp>,
    /// Working time from opened to responded (or now).
    pub elapsed: WorkSpan,
    /// Target minus elapsed (≤ 0 once overdue); `None` without commitment.
    pub remaining: Option<WorkSpan>,
    /// Elapsed / target in percent, rounded half up to two decimals; `None`
    /// without commitment. Serializes as the `f64` JSON has always shown.
    pub used_percent: Option<BasisPoints>,
    /// The state.
    pub state: ClockState,
    /// What the elapsed clock ran through (with `explain`); crate-private,
    /// as [`DeadlineAnswer`]'s steps.
    pub(crate) elapsed_steps: Vec<Step>,
}

/// Refuses a ticket time after "now": a ticket opened tomorrow is not
/// `running` today, and a response sent tomorrow is not `missed` today.
///
/// # Errors
/// [`crate::Error::AfterNow`] naming both instants, printed with `disp`.
pub(crate) fn not_after_now(what: &str, t: i64, now: i64, disp: Display) -> Result<()> {
    if t > now {
        return Err(crate::Error::AfterNow {
            what: what.to_string().into(),
            at: format_instant(t, disp),
            now: format_instant(now, disp),
        });
    }
    Ok(())
}

/// The status of a ticket at `now`.
///
/// # Errors
/// [`crate::Error::Walk`] when the calendar has no working time to offer.
pub fn status(
    r: &Resolved,
    opened: Timestamp,
    responded: Option<Timestamp>,
    now: Timestamp,
    pauses: &[Segment],
    explain: bool,
) -> Result<StatusAnswer> {
    let (opened, responded, now) = (opened.secs(), responded.map(Timestamp::secs), now.secs());
    let target_seconds = r.target_seconds.map(WorkSpan::secs);
    let until = responded.unwrap_or(now);
    let (d, elapsed, elapsed_steps) = match walk_once(r, opened, until, pauses, explain) {
        Some(answer) => answer,
        None => {
            let d = deadline(r, Timestamp::from_secs(opened), pauses, false)?;
            let e = engine::elapsed(&r.calendar, opened, until, pauses, explain)?;
            (d, e.seconds, e.steps)
        }
    };
    let (remaining, used_percent, state) = match (r.commitment, target_seconds, d.deadline.map(Timestamp::secs)) {
        (Commitment::Committed, Some(target), Some(due)) => {
            let used = if target > 0 {
                BasisPoints::ratio(elapsed, target).ok_or_else(|| {
                    crate::Error::Input(format!(
                        "{elapsed} s used of a {target} s target is too large a share to print"
                    ))
                })?
            } else {
                BasisPoints::from_int(100)
            };
            let state = committed_state(r, target, due, elapsed, responded, now, pauses);
            (Some(WorkSpan::new(target - elapsed)), Some(used), state)
        }
        _ => (None, None, ClockState::NoCommitment),
    };
    Ok(StatusAnswer {
        deadline: d,
        responded: responded.map(Timestamp::from_secs),
        elapsed: WorkSpan::new(elapsed),
        remaining,
        used_percent,
        state,
        elapsed_steps,
    })
}

/// The state of a committed clock with target `target` due at `due`, after
/// `elapsed` working seconds: stopped at `responded`, or still running at `now`.
fn committed_state(
    r: &Resolved,
    target: i64,
    due: i64,
    elapsed: i64,
    responded: Option<i64>,
    now: i64,
    pauses: &[Segment],
) -> ClockState {
    match responded {
        Some(t) if t <= due => ClockState::Met,
        Some(_) => ClockState::Missed,
        None if now > due => ClockState::Breached,
        None if elapsed < target && pauses.iter().any(|p| p.start <= now && now < p.end) => ClockState::Paused,
        None if elapsed * 10_000 >= target * r.at_risk_basis_points.raw() => ClockState::AtRisk,
        None => ClockState::Running,
    }
}

/// One `batch` row's status, without the parts `batch` does not print (the
/// clock start, the share used): see [`StatusRun::row`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowStatus {
    /// The deadline; `None` without a target.
    pub deadline: Option<Timestamp>,
    /// The stop, when it happened by now.
    pub stop: Option<Timestamp>,
    /// Working time from the opening to the stop (or now).
    pub elapsed: WorkSpan,
    /// Target minus elapsed; `None` without commitment.
    pub remaining: Option<WorkSpan>,
    /// The state.
    pub state: ClockState,
}

/// Many tickets' status against one resolved target, as `batch` asks it row
/// after row: [`Ticket::new`](super::Ticket::new) with
/// [`StopAfterNow::NotYet`](super::StopAfterNow::NotYet), no pauses, then
/// [`Ticket::status`](super::Ticket::status), without what a row does not
/// need (the messages' texts, a `StatusAnswer`'s steps and share used) and
/// with the run's own cursor on the calendar's year tables, so a row is its
/// walk and a little arithmetic.
#[derive(Debug)]
pub struct StatusRun {
    resolved: Resolved,
    cursor: YearCursor,
}

impl StatusRun {
    /// A run against `resolved`.
    pub fn new(resolved: Resolved) -> StatusRun {
        StatusRun { resolved, cursor: YearCursor::new() }
    }

    /// The target the run measures against.
    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    /// The status of a ticket opened at `opened`, stopped at `stop` (a stop
    /// after `now` has not happened yet), as of `now`, with no pause: what
    /// `Ticket::new(…, StopAfterNow::NotYet, …)` then `status(r, now, false)`
    /// answer. `None` for a row this path leaves to them (they answer it, or
    /// give its error, with its message): a stop before the opening, an
    /// opening after now, a walk that fails, a share used too large to print.
    pub fn row(&mut self, opened: Timestamp, stop: Option<Timestamp>, now: Timestamp) -> Option<RowStatus> {
        row_in(&self.resolved, &mut self.cursor, opened, stop, now)
    }
}

/// [`StatusRun::row`] against `resolved` on the thread's own cursor for its
/// calendar: for `batch`, whose rows name many targets in any order, so it
/// keeps no run per target.
pub fn row_status(
    resolved: &Resolved,
    opened: Timestamp,
    stop: Option<Timestamp>,
    now: Timestamp,
) -> Option<RowStatus> {
    row_in(resolved, &mut engine::PooledCursor::take(&resolved.calendar), opened, stop, now)
}

/// [`StatusRun::row`]'s work, on `cursor`.
fn row_in(
    r: &Resolved,
    cursor: &mut YearCursor,
    opened: Timestamp,
    stop: Option<Timestamp>,
    now: Timestamp,
) -> Option<RowStatus> {
    let (opened, now) = (opened.secs(), now.secs());
    let stop = stop.map(Timestamp::secs);
    // `Ticket::new`'s rules, in its order: all errors, left to it.
    if stop.is_some_and(|s| s < opened) || opened > now {
        return None;
    }
    let stop = stop.filter(|&s| s <= now);
    // `status`'s one walk (`walk_once`): on an error, the separate walks
    // give the answer or the error.
    let target = r.target_seconds.map(WorkSpan::secs);
    let until = stop.unwrap_or(now);
    let a = engine::status_walk::deadline_and_elapsed_in(&r.calendar, cursor, opened, target, until, &[]).ok()?;
    let (remaining, state) = match (r.commitment, target, a.deadline) {
        (Commitment::Committed, Some(target), Some(due)) => {
            // `BasisPoints::ratio(elapsed, target)` fits below this
            // (elapsed ≥ 0, target ≥ 1); above it, `status` says whether.
            if target > 0 && a.elapsed > i64::MAX / 10_000 {
                return None;
            }
            let state = committed_state(r, target, due, a.elapsed, stop, now, &[]);
            (Some(WorkSpan::new(target - a.elapsed)), state)
        }
        _ => (None, ClockState::NoCommitment),
    };
    Some(RowStatus {
        deadline: a.deadline.map(Timestamp::from_secs),
        stop: stop.map(Timestamp::from_secs),
        elapsed: WorkSpan::new(a.elapsed),
        remaining,
        state,
    })
}

/// The deadline and the elapsed time from one walk over the calendar
/// ([`engine::status_walk`]) instead of two (and a third for the clock start):
/// `batch` asks this of every row. `None` with `explain` (the steps come from
/// the separate walks) and when the walk fails: the separate walks then give
/// the answer, or the error, they always gave.
fn walk_once(
    r: &Resolved,
    opened: i64,
    until: i64,
    pauses: &[Segment],
    explain: bool,
) -> Option<(DeadlineAnswer, i64, Vec<Step>)> {
    if explain {
        return None;
    }
    let target = r.target_seconds.map(WorkSpan::secs);
    let a = engine::status_walk::deadline_and_elapsed(&r.calendar, opened, target, until, pauses).ok()?;
    let d = DeadlineAnswer {
        opened: Timestamp::from_secs(opened),
        clock_start: Timestamp::from_secs(a.clock_start),
        deadline: a.deadline.map(Timestamp::from_secs),
        steps: Vec::new(),
    };
    Some((d, a.elapsed, Vec::new()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::PlanSet;
    use crate::plan::lifecycle::Metric;
    use crate::sla::{Given, StopAfterNow, Ticket, Untracked, resolve};

    fn plans() -> &'static PlanSet {
        static P: std::sync::OnceLock<PlanSet> = std::sync::OnceLock::new();
        P.get_or_init(|| PlanSet::load(&[]).expect("embedded plans load"))
    }

    /// Every embedded (plan, priority, metric) batch can ask, resolved.
    fn runs() -> &'static [Resolved] {
        static R: std::sync::OnceLock<Vec<Resolved>> = std::sync::OnceLock::new();
        R.get_or_init(|| {
            let mut out = Vec::new();
            for plan in plans().plans() {
                let levels = plan.priorities.iter().map(|p| Some(p.name.as_str())).chain([None]);
                for level in levels {
                    for metric in [Metric::FirstResponse, Metric::NextResponse, Metric::Resolution] {
                        if let Ok(r) = resolve(plan, level, metric, Untracked::NoCommitment) {
                            out.push(r);
                        }
                    }
                }
            }
            out
        })
    }

    /// What `batch` asks of a row: `Ticket::new` as of now, then `status`.
    fn slow(r: &Resolved, opened: i64, stop: Option<i64>, now: i64) -> Result<RowStatus> {
        let at = Timestamp::from_secs;
        let given = |what, t| Given { what, at: at(t), typed: "", quoted: false };
        let ticket = Ticket::new(
            given("opened", opened),
            stop.map(|s| given("responded", s)),
            at(now),
            StopAfterNow::NotYet,
            Display::Utc,
        )?;
        let s = ticket.status(r, at(now), false)?;
        Ok(RowStatus {
            deadline: s.deadline.deadline,
            stop: s.responded,
            elapsed: s.elapsed,
            remaining: s.remaining,
            state: s.state,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: std::env::var("SLACALC_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000), ..ProptestConfig::default() })]

        /// A run answers a row as `Ticket::new` and `status` do, or leaves it
        /// to them; it leaves only their errors (and the rare walk that fails
        /// where separate walks may not), never an ordinary row of recent years.
        #[test]
        fn a_run_answers_each_row_as_ticket_and_status_do(
            pick in any::<prop::sample::Index>(),
            opened in prop_oneof![
                1_704_067_200i64..1_830_000_000,      // 2024..2027
                -12_000_000_000i64..250_000_000_000, // 1589..9999
            ],
            stop in proptest::option::weighted(0.7, prop_oneof![-3_600i64..(5 * 86_400), -86_400i64..(400 * 86_400)]),
            now_off in prop_oneof![-3_600i64..(10 * 86_400), 0i64..(400 * 86_400), 0i64..(40 * 365 * 86_400)],
        ) {
            let runs = runs();
            let r = &runs[pick.index(runs.len())];
            let now = opened + now_off;
            let stop = stop.map(|s| opened + s);
            let mut run = StatusRun::new(r.clone());
            let want = slow(r, opened, stop, now);
            let got = run.row(Timestamp::from_secs(opened), stop.map(Timestamp::from_secs), Timestamp::from_secs(now));
            match (&want, got) {
                (_, Some(got)) => prop_assert_eq!(want.ok(), Some(got)),
                (Ok(_), None) => prop_assert!(!(1_704_067_200..1_830_000_000).contains(&opened) || now_off > 400 * 86_400,
                    "an ordinary row left to the slow path: {:?}", want),
                (Err(_), None) => {}
            }
            // A second row on the same run (its cursor now holds years): the same.
            let again = run.row(Timestamp::from_secs(opened), stop.map(Timestamp::from_secs), Timestamp::from_secs(now));
            prop_assert_eq!(again, got);
        }
    }
}
