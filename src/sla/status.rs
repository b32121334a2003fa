//! How much of the SLA clock is used, and is it breached?

use super::deadline::{Commitment, DeadlineAnswer, Resolved, deadline};
use crate::decimal::BasisPoints;
use crate::engine::day::{Timestamp, WorkSpan};
use crate::engine::{self, Segment, Step};
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
            let state = match responded {
                Some(t) if t <= due => ClockState::Met,
                Some(_) => ClockState::Missed,
                None if now > due => ClockState::Breached,
                None if elapsed < target && pauses.iter().any(|p| p.start <= now && now < p.end) => ClockState::Paused,
                None if elapsed * 10_000 >= target * r.at_risk_basis_points.raw() => ClockState::AtRisk,
                None => ClockState::Running,
            };
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
