//! When is the first response due? Resolves the priority, picks the clock's
//! calendar, and walks the engine.

use std::sync::Arc;

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
    pub target_seconds: Option<i64>,
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
    pub at_risk_basis_points: i64,
}

/// Resolves `--priority` (or its absence) against a plan.
///
/// # Errors
/// [`Error::UnknownPriority`] listing the accepted names, or
/// [`Error::PriorityRequired`] when the plan's levels differ.
pub fn resolve(plan: &Plan, priority: Option<&str>) -> Result<Resolved> {
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
    // Only a 24x7 clock carries its own provenance (a business clock is the
    // plan's calendar, whose assumed figures are listed below).
    if let Some(c) = cprov.filter(|c| c.is_assumed()) {
        assumptions.push(format!("{label} runs on a 24x7 clock: {}", c.text()));
    }
    if clock == Clock::Business && commitment == Commitment::Committed {
        assumptions.extend(plan.calendar.assumptions());
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
        at_risk_basis_points: plan.lifecycle.at_risk_basis_points,
    })
}

/// A deadline answer, in UTC seconds.
#[derive(Debug, Clone)]
pub struct DeadlineAnswer {
    /// When the ticket was opened.
    pub opened: i64,
    /// First working instant at or after `opened` (pauses ignored).
    pub clock_start: i64,
    /// The deadline, `None` without commitment.
    pub deadline: Option<i64>,
    /// What the clock ran through (with `explain`).
    pub steps: Vec<Step>,
}

/// Computes the deadline of a ticket opened at `opened`, with normalized `pauses`.
///
/// # Errors
/// [`Error::Walk`] when the calendar has no working time to offer.
pub fn deadline(r: &Resolved, opened: i64, pauses: &[Segment], explain: bool) -> Result<DeadlineAnswer> {
    let (deadline, met_start, steps) = match r.target_seconds {
        Some(secs) => {
            let d = engine::deadline(&r.calendar, opened, secs, pauses, explain)?;
            (Some(d.at), d.clock_start, d.steps)
        }
        None => (None, None, vec![]),
    };
    let clock_start = match met_start {
        Some(t) => t,
        None => engine::clock_start(&r.calendar, opened)?,
    };
    Ok(DeadlineAnswer { opened, clock_start, deadline, steps })
}
