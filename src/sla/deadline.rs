//! When is the first response due? Resolves the priority, picks the clock's
//! calendar, and walks the engine.

use std::sync::Arc;

use crate::decimal::BasisPoints;
use crate::engine::day::{Timestamp, WorkSpan};
use crate::engine::{self, Calendar, Segment, Step, Target};
use crate::error::{Error, Result};
use crate::plan::{Clock, Plan, Provenance};

/// `committed`, `best-effort` or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commitment {
    /// A committed time.
    Committed,
    /// Efforts, no time.
    BestEffort,
    /// No service level.
    None,
}

impl Commitment {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::Committed => "committed",
            Commitment::BestEffort => "best-effort",
            Commitment::None => "none",
        }
    }
}

/// The target that applies to one ticket, resolved once: `batch` keeps these
/// per (plan, priority) and reuses them row after row.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Canonical priority name, `None` when omitted on a plan that allows it.
    pub priority: Option<String>,
    /// The target as written.
    pub target: Target,
    /// Working seconds of the target, `None` without commitment.
    pub target_seconds: Option<WorkSpan>,
    /// Clock.
    pub clock: Clock,
    /// The calendar the clock runs on.
    pub calendar: Arc<Calendar>,
    /// Commitment kind.
    pub commitment: Commitment,
    /// True when the target rests on an assumed figure: its amount, or the
    /// clock it runs on (otter's critical "4 heures" is quoted, but reading it
    /// on a 24x7 clock is assumed).
    pub assumed: bool,
    /// Every assumed figure the answer rests on.
    pub assumptions: Vec<String>,
    /// Share used from which the ticket is at risk, in hundredths of a
    /// percent (the plan's `at_risk_percent`, default 75 %).
    pub at_risk_basis_points: BasisPoints,
}

/// The first-response target of `priority` (see [`crate::sla::resolve`],
/// which every caller goes through), on `metric_clock` (the clock a metric
/// imposes, `calendar = "id"` under `[plans.metrics.NAME]`) instead of the
/// priority's when given.
pub(crate) fn resolve_with(plan: &Plan, priority: Option<&str>, metric_clock: Option<Clock>) -> Result<Resolved> {
    let chosen = match priority {
        Some(name) => Some(plan.priority(name).ok_or_else(|| Error::UnknownPriority {
            given: name.to_string(),
            plan: plan.id.clone(),
            expected: plan.priority_names(),
        })?),
        None if plan.priority_optional() => None,
        None => return Err(Error::PriorityRequired { plan: plan.id.clone(), expected: plan.priority_names() }),
    };
    let (target, clock, tprov, cprov): (Target, Clock, &Provenance, Option<&Provenance>) =
        match (chosen, plan.priorities.first(), &plan.default_target) {
            (Some(p), _, _) | (None, Some(p), _) => {
                (p.target, p.clock, &p.target_provenance, p.clock_provenance.as_ref())
            }
            (None, None, Some((t, prov))) => (*t, Clock::Business, prov, None),
            (None, None, None) => (Target::None, Clock::Business, &Provenance::Assumed(String::new()), None),
        };
    // A metric's own calendar beats the priority's clock (and its provenance).
    let (clock, cprov) = match metric_clock {
        Some(c) => (c, None),
        None => (clock, cprov),
    };
    let calendar = plan.calendar_for(clock);
    let commitment = match target {
        Target::None => Commitment::None,
        Target::BestEffort => Commitment::BestEffort,
        _ => Commitment::Committed,
    };
    let label = chosen.map_or_else(|| "target".to_string(), |p| format!("{} target", p.name));
    let mut assumptions = Vec::new();
    if tprov.is_assumed() && !tprov.text().is_empty() {
        assumptions.push(format!("{label} {target}: {}", tprov.text()));
    }
    let clock_assumed = cprov.is_some_and(Provenance::is_assumed);
    // Only a 24x7 clock or a priority's own calendar carries its own
    // provenance (a business clock is the plan's calendar, whose assumed
    // figures are listed below).
    if let Some(c) = cprov.filter(|c| c.is_assumed()) {
        match clock {
            Clock::Always => assumptions.push(format!("{label} runs on a 24x7 clock: {}", c.text())),
            _ => assumptions.push(format!("{label} runs on calendar {}: {}", calendar.id(), c.text())),
        }
    }
    if let (Some(info), Commitment::Committed) = (plan.calendar_info_for(clock), commitment) {
        assumptions.extend(info.assumptions());
    }
    Ok(Resolved {
        priority: chosen.map(|p| p.name.clone()),
        target,
        target_seconds: target.seconds(calendar.business_day()),
        clock,
        calendar,
        commitment,
        assumed: tprov.is_assumed() || clock_assumed,
        assumptions,
        at_risk_basis_points: BasisPoints::from_raw(plan.lifecycle.at_risk_basis_points),
    })
}

/// A deadline answer, in UTC seconds.
#[derive(Debug, Clone)]
pub struct DeadlineAnswer {
    /// When the ticket was opened.
    pub opened: Timestamp,
    /// First working instant at or after `opened` (pauses ignored).
    pub clock_start: Timestamp,
    /// The deadline, `None` without commitment.
    pub deadline: Option<Timestamp>,
    /// What the clock ran through (with `explain`): the command line's
    /// `--explain` table; crate-private, as `Step` speaks the engine's
    /// raw seconds.
    pub(crate) steps: Vec<Step>,
}

/// Computes the deadline of a ticket opened at `opened`, with normalized `pauses`.
///
/// # Errors
/// [`Error::Walk`] when the calendar has no working time to offer.
pub fn deadline(r: &Resolved, opened: Timestamp, pauses: &[Segment], explain: bool) -> Result<DeadlineAnswer> {
    let opened = opened.secs();
    let (deadline, met_start, steps) = match r.target_seconds {
        Some(secs) => {
            let d = engine::deadline(&r.calendar, opened, secs.secs(), pauses, explain)?;
            (Some(d.at), d.clock_start, d.steps)
        }
        None => (None, None, vec![]),
    };
    let clock_start = match met_start {
        Some(t) => t,
        None => engine::clock_start(&r.calendar, opened)?,
    };
    Ok(DeadlineAnswer {
        opened: Timestamp::from_secs(opened),
        clock_start: Timestamp::from_secs(clock_start),
        deadline: deadline.map(Timestamp::from_secs),
        steps,
    })
}

/// How the clock of a committed ticket started, for `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockStart {
    /// A 24x7 clock: it starts at `opened`.
    Always,
    /// Opened inside working hours: it starts at `opened`.
    InsideHours,
    /// Opened outside working hours: it starts at the next opening.
    OutsideHours,
}

/// The facts `--explain` states about a deadline, as data: computed only
/// when asked ([`explanation`]), worded by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explanation {
    /// No service level: no target, no deadline.
    NoCommitment,
    /// Best effort: no time committed, no deadline.
    BestEffort,
    /// A committed target.
    Committed {
        /// How the clock started.
        start: ClockStart,
        /// For a target in business days: how many, and the working seconds
        /// of one business day.
        business_days: Option<(i64, WorkSpan)>,
        /// The target, in working time.
        target_seconds: WorkSpan,
        /// The deadline, if any.
        deadline: Option<Timestamp>,
        /// The target is used up exactly at a window's end: due then, not
        /// at the next opening.
        due_at_window_end: bool,
    },
}

/// The facts behind deadline `d` of a ticket resolved as `r`.
pub fn explanation(r: &Resolved, d: &DeadlineAnswer) -> Explanation {
    match r.commitment {
        Commitment::None => return Explanation::NoCommitment,
        Commitment::BestEffort => return Explanation::BestEffort,
        Commitment::Committed => {}
    }
    let always = r.calendar.is_always();
    let start = if always {
        ClockStart::Always
    } else if d.clock_start > d.opened {
        ClockStart::OutsideHours
    } else {
        ClockStart::InsideHours
    };
    let business_days = match (r.target_seconds, r.target) {
        (Some(_), Target::BusinessDays(n)) => Some((n, r.calendar.business_day())),
        _ => None,
    };
    let due_at_window_end = match d.deadline {
        Some(due) if !always && due > d.opened => {
            engine::clock_start(&r.calendar, due.secs()).is_ok_and(|next| next > due.secs())
        }
        _ => false,
    };
    Explanation::Committed {
        start,
        business_days,
        target_seconds: r.target_seconds.unwrap_or_default(),
        deadline: d.deadline,
        due_at_window_end,
    }
}
