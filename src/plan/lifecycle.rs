//! The ticket-lifecycle part of a plan (SPEC §5): status classes and the
//! names that map to them, which metric pauses on which class, what a
//! priority change does, and the at-risk threshold. Read from
//! `[plans.statuses]`, `[plans.metrics.NAME]`, `on_priority_change` and
//! `at_risk_percent`, and validated by `validate/lifecycle.rs`.

use super::provenance::Provenance;
use crate::engine::Target;

/// The five classes every status name maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// Being worked on (the class a ticket starts in).
    Open,
    /// Waiting on the customer.
    Waiting,
    /// On hold: waiting on a third party.
    OnHold,
    /// Solved; a customer reply reopens it.
    Solved,
    /// Closed: final.
    Closed,
}

impl StatusClass {
    /// Every class, in the order above.
    pub const ALL: [StatusClass; 5] =
        [StatusClass::Open, StatusClass::Waiting, StatusClass::OnHold, StatusClass::Solved, StatusClass::Closed];

    /// The plan-file spelling: `open`, `waiting`, `on_hold`, `solved`, `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusClass::Open => "open",
            StatusClass::Waiting => "waiting",
            StatusClass::OnHold => "on_hold",
            StatusClass::Solved => "solved",
            StatusClass::Closed => "closed",
        }
    }

    /// Parses the plan-file spelling (`on-hold` is accepted for `on_hold`).
    pub fn parse(s: &str) -> Option<StatusClass> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "open" => StatusClass::Open,
            "waiting" => StatusClass::Waiting,
            "on_hold" | "on-hold" => StatusClass::OnHold,
            "solved" => StatusClass::Solved,
            "closed" => StatusClass::Closed,
            _ => return None,
        })
    }

    /// True for `solved` and `closed`: the resolution clock has stopped.
    pub fn is_done(self) -> bool {
        matches!(self, StatusClass::Solved | StatusClass::Closed)
    }

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The SLA clocks of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// From creation to the first agent reply.
    FirstResponse,
    /// From a customer reply to the next agent reply (after the first one).
    NextResponse,
    /// From creation to the (last) solve.
    Resolution,
}

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; 3] = [Metric::FirstResponse, Metric::NextResponse, Metric::Resolution];

    /// `first_response`, `next_response`, `resolution`.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::NextResponse => "next_response",
            Metric::Resolution => "resolution",
        }
    }

    /// Parses a metric name (`-` is accepted for `_`).
    pub fn parse(s: &str) -> Option<Metric> {
        Some(match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "first_response" => Metric::FirstResponse,
            "next_response" => Metric::NextResponse,
            "resolution" => Metric::Resolution,
            _ => return None,
        })
    }
}

/// What a priority change does to the targets of a ticket's cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnPriorityChange {
    /// The target (and clock) of the priority in force when a cycle is evaluated.
    Retarget,
    /// The creation priority's targets and clocks, whatever happens later.
    Keep,
}

/// A next-response or resolution target of a priority, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricTarget {
    /// The target.
    pub target: Target,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// Default at-risk threshold, in hundredths of a percent (75 %).
pub(crate) const DEFAULT_AT_RISK_BASIS_POINTS: i64 = 7_500;

/// The lifecycle settings of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// Status names the plan adds (lowercase), with their class.
    pub statuses: Vec<(String, StatusClass)>,
    /// Per metric (in [`Metric::ALL`] order), the classes it pauses on, as bits.
    pub(crate) pause_on: [u8; 3],
    /// What a priority change does.
    pub on_priority_change: OnPriorityChange,
    /// Share of the target used from which a cycle is at risk, in hundredths of a percent.
    pub at_risk_basis_points: i64,
    /// Per metric (in [`Metric::ALL`] order), the clock it runs on whatever
    /// the priority (`calendar = "id"` under `[plans.metrics.NAME]`).
    pub clocks: [Option<super::Clock>; 3],
}

impl Default for Lifecycle {
    fn default() -> Lifecycle {
        Lifecycle {
            statuses: Vec::new(),
            pause_on: [0, 0, StatusClass::Waiting.bit()],
            on_priority_change: OnPriorityChange::Retarget,
            at_risk_basis_points: DEFAULT_AT_RISK_BASIS_POINTS,
            clocks: [None; 3],
        }
    }
}

/// The built-in status names.
const DEFAULT_NAMES: [(&str, StatusClass); 9] = [
    ("new", StatusClass::Open),
    ("open", StatusClass::Open),
    ("pending", StatusClass::Waiting),
    ("waiting", StatusClass::Waiting),
    ("hold", StatusClass::OnHold),
    ("on-hold", StatusClass::OnHold),
    ("solved", StatusClass::Solved),
    ("resolved", StatusClass::Solved),
    ("closed", StatusClass::Closed),
];

impl Lifecycle {
    /// The class of a status name, case-insensitively: the plan's own names
    /// first, then the defaults.
    pub fn class_of(&self, name: &str) -> Option<StatusClass> {
        let n = name.trim();
        self.statuses
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(n))
            .map(|(_, c)| *c)
            .or_else(|| DEFAULT_NAMES.iter().find(|(s, _)| s.eq_ignore_ascii_case(n)).map(|(_, c)| *c))
    }

    /// Every status name accepted, for messages.
    pub fn status_names(&self) -> Vec<String> {
        let mut v: Vec<String> = DEFAULT_NAMES.iter().map(|(s, _)| (*s).to_string()).collect();
        for (s, _) in &self.statuses {
            if !v.contains(s) {
                v.push(s.clone());
            }
        }
        v
    }

    /// True when `metric`'s clock stops while the ticket is in `class`.
    pub fn pauses(&self, metric: Metric, class: StatusClass) -> bool {
        self.pause_on[metric as usize] & class.bit() != 0
    }

    /// The clock `metric` runs on when the plan gives it one of its own.
    pub fn clock(&self, metric: Metric) -> Option<super::Clock> {
        self.clocks[metric as usize]
    }

    /// The classes `metric` pauses on.
    pub fn pause_on(&self, metric: Metric) -> Vec<StatusClass> {
        StatusClass::ALL.into_iter().filter(|c| self.pauses(metric, *c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_map_case_insensitively() {
        let l = Lifecycle::default();
        assert_eq!(l.class_of("Pending"), Some(StatusClass::Waiting));
        assert_eq!(l.class_of("ON-HOLD"), Some(StatusClass::OnHold));
        assert_eq!(l.class_of("resolved"), Some(StatusClass::Solved));
        assert_eq!(l.class_of("archived"), None);
        assert!(l.pauses(Metric::Resolution, StatusClass::Waiting));
        assert!(!l.pauses(Metric::FirstResponse, StatusClass::Waiting));
    }
}
