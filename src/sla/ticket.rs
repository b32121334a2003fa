//! One ticket's request, checked in one place: which target it is measured
//! against ([`resolve`]: plan, priority and metric) and its times
//! ([`Ticket::new`]: a stop is not before the opening, nothing is after
//! now). `deadline`, `status` and `batch` ask through it, so a rule and its
//! message are written once. (`replay` has its own rule for events after
//! now: they are left out.)

use crate::engine::day::Timestamp;
use crate::engine::{Segment, Target};
use crate::error::{Error, Result};
use crate::instant::Display;
use crate::plan::Plan;
use crate::plan::lifecycle::Metric;

use super::{Commitment, DeadlineAnswer, Resolved, StatusAnswer};

/// What a priority without a target for the asked metric gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Untracked {
    /// An error: a single-ticket command was asked about a clock the plan
    /// does not set.
    Refused,
    /// `no-commitment` (SPEC §9, `batch`): a plan with no target for that
    /// metric and priority; the answer then has no target.
    NoCommitment,
}

/// The target `metric` sets for `priority` of `plan`: the priority's first
/// response, `next_response` or `resolution` target, on the metric's own
/// calendar if the plan gives it one (else the priority's clock), with that
/// target's provenance. No priority: the plan's only target (levels that
/// are all alike, or none).
///
/// # Errors
/// [`Error::UnknownPriority`], [`Error::PriorityRequired`], and with
/// [`Untracked::Refused`] [`Error::NoTarget`] when the priority gives no
/// target for the metric.
pub fn resolve(plan: &Plan, priority: Option<&str>, metric: Metric, untracked: Untracked) -> Result<Resolved> {
    let mut r = super::deadline::resolve_with(plan, priority, plan.lifecycle.clock(metric))?;
    if metric == Metric::FirstResponse {
        return Ok(r);
    }
    let level = match &r.priority {
        Some(name) => plan.priority(name),
        None => plan.priorities.first(),
    };
    let mt = level.and_then(|l| match metric {
        Metric::NextResponse => l.next_response.as_ref(),
        _ => l.resolution.as_ref(),
    });
    let Some(mt) = mt else {
        if untracked == Untracked::NoCommitment {
            r.target = Target::None;
            r.target_seconds = None;
            r.commitment = Commitment::None;
            r.assumed = false;
            r.assumptions.clear();
            return Ok(r);
        }
        return Err(Error::NoTarget {
            plan: plan.id.clone(),
            priority: level.map(|l| l.name.clone()),
            metric: metric.as_str(),
        });
    };
    let first_target = r.target;
    r.target = mt.target;
    r.target_seconds = mt.target.seconds(r.calendar.business_day());
    r.commitment = match mt.target {
        Target::None => Commitment::None,
        Target::BestEffort => Commitment::BestEffort,
        _ => Commitment::Committed,
    };
    r.assumed = mt.provenance.is_assumed();
    // The first-response target's own assumption is not this answer's.
    let first = match &r.priority {
        Some(name) => format!("{name} target {first_target}: "),
        None => format!("target {first_target}: "),
    };
    r.assumptions.retain(|a| !a.starts_with(&first));
    if mt.provenance.is_assumed() {
        r.assumptions.insert(0, format!("{} {}: {}", metric.as_str(), mt.target, mt.provenance.text()));
    }
    Ok(r)
}

/// One time of a ticket as the request gave it: the instant, and how
/// messages name it (`what`, then `typed` when not empty: `--opened
/// 2026-11-20 10:00`, `responded "…"`).
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    /// What the time is (`--opened`, `responded`).
    pub what: &'a str,
    /// The instant.
    pub at: Timestamp,
    /// The value as typed, shown after `what` in messages (may be empty).
    pub typed: &'a str,
    /// Show `typed` quoted and cut (a value from a file, which may be long
    /// or odd), else as it is (a flag's value). Formatted only when a
    /// message is written: a batch row allocates nothing for it.
    pub quoted: bool,
}

impl Given<'_> {
    /// The value as messages show it.
    fn value(&self) -> String {
        if self.quoted { format!("\"{}\"", crate::text::cut(self.typed, 80)) } else { self.typed.to_string() }
    }

    fn shown(&self) -> String {
        if self.typed.is_empty() { self.what.to_string() } else { format!("{} {}", self.what, self.value()) }
    }
}

/// What a stop after now is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopAfterNow {
    /// An error, as a ticket opened after now is (`status`).
    Refused,
    /// It has not happened yet: the clock still runs (`batch` reads an
    /// export as of now).
    NotYet,
}

/// A ticket's times, checked: opened, stopped (responded or resolved, as of
/// now) and paused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ticket {
    /// When it was opened.
    pub opened: Timestamp,
    /// When its clock stopped, if it has by now.
    pub stop: Option<Timestamp>,
    /// Normalized pauses.
    pub pauses: Vec<Segment>,
}

impl Ticket {
    /// A ticket opened at `opened` with no stop and no pause, with no rule of
    /// now (what `deadline` asks about).
    pub fn opened(opened: Timestamp) -> Ticket {
        Ticket { opened, stop: None, pauses: Vec::new() }
    }

    /// A ticket opened at `opened`, stopped at `stop`, as of `now`. The rules,
    /// in this order: the stop is not before the opening; the opening is not
    /// after now; a stop after now is refused or not yet happened, as
    /// `after_now` says. `disp` prints instants in messages.
    ///
    /// # Errors
    /// [`Error::Before`] for a stop before the opening, [`Error::AfterNow`]
    /// for an opening (or refused stop) after now.
    pub fn new(
        opened: Given<'_>,
        stop: Option<Given<'_>>,
        now: Timestamp,
        after_now: StopAfterNow,
        disp: Display,
    ) -> Result<Ticket> {
        if let Some(s) = stop
            && s.at < opened.at
        {
            return Err(Error::Before { what: s.what.to_string(), at: s.value(), other: opened.shown() });
        }
        super::not_after_now(opened.what, opened.at.secs(), now.secs(), disp)?;
        let stop = match stop {
            Some(s) if s.at > now && after_now == StopAfterNow::NotYet => None,
            Some(s) => {
                super::not_after_now(s.what, s.at.secs(), now.secs(), disp)?;
                Some(s.at)
            }
            None => None,
        };
        Ok(Ticket { opened: opened.at, stop, pauses: Vec::new() })
    }

    /// The ticket with its pauses (normalized by the caller).
    pub fn with_pauses(mut self, pauses: Vec<Segment>) -> Ticket {
        self.pauses = pauses;
        self
    }

    /// When the target `r` is due for this ticket ([`super::deadline`]).
    ///
    /// # Errors
    /// As [`super::deadline`].
    pub fn deadline(&self, r: &Resolved, explain: bool) -> Result<DeadlineAnswer> {
        super::deadline(r, self.opened, &self.pauses, explain)
    }

    /// The ticket's status against `r` at `now` ([`super::status`]).
    ///
    /// # Errors
    /// As [`super::status`].
    pub fn status(&self, r: &Resolved, now: Timestamp, explain: bool) -> Result<StatusAnswer> {
        super::status(r, self.opened, self.stop, now, &self.pauses, explain)
    }
}
