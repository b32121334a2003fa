//! The ticket-lifecycle part of a plan (SPEC §5): status classes and the
//! names that map to them, which metric pauses on which class, what a
//! priority change does, and the at-risk threshold. Read from
//! `[plans.statuses]`, `[plans.metrics.NAME]`, `on_priority_change` and
//! `at_risk_percent`, and validated here so that `validate.rs` only calls in.

use std::ops::Range;

use super::model::Provenance;
use super::raw::{RawPlan, SStr};
use crate::engine::Target;
use crate::error::PlanError;
use crate::text::cut;

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

    fn bit(self) -> u8 {
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
pub const DEFAULT_AT_RISK_BASIS_POINTS: i64 = 7_500;

/// The lifecycle settings of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// Status names the plan adds (lowercase), with their class.
    pub statuses: Vec<(String, StatusClass)>,
    /// Per metric (in [`Metric::ALL`] order), the classes it pauses on, as bits.
    pause_on: [u8; 3],
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

/// What `plans show` prints of a plan's lifecycle keys (SPEC §5): the
/// next-response and resolution targets per priority, the settings, the
/// pauses per metric and the plan's own status names. `None` for a plan
/// that sets none of them (it runs on the defaults, first response only).
pub fn describe(plan: &super::Plan) -> Option<serde_json::Value> {
    use serde_json::json;
    let l = &plan.lifecycle;
    let has_targets = plan.priorities.iter().any(|x| x.next_response.is_some() || x.resolution.is_some());
    if !has_targets && *l == Lifecycle::default() {
        return None;
    }
    let target = |x: &super::Priority, t: Option<&MetricTarget>| {
        t.map(|t| {
            json!({
                "target": t.target.to_string(),
                "target_seconds": t.target.seconds(plan.calendar_for(x.clock).business_day()),
                "assumed": t.provenance.is_assumed(),
                "provenance": if t.provenance.is_assumed() { json!({"assumed": t.provenance.text()}) } else { json!({"source": t.provenance.text()}) },
            })
        })
    };
    let priorities: Vec<serde_json::Value> = plan
        .priorities
        .iter()
        .map(|x| {
            json!({
                "name": x.name,
                "next_response": target(x, x.next_response.as_ref()),
                "resolution": target(x, x.resolution.as_ref()),
            })
        })
        .collect();
    let mut statuses = serde_json::Map::new();
    for c in StatusClass::ALL {
        let names: Vec<&str> = l.statuses.iter().filter(|(_, k)| *k == c).map(|(n, _)| n.as_str()).collect();
        if !names.is_empty() {
            statuses.insert(c.as_str().into(), json!(names));
        }
    }
    let pause_on: serde_json::Map<String, serde_json::Value> = Metric::ALL
        .into_iter()
        .map(|m| (m.as_str().to_string(), json!(l.pause_on(m).iter().map(|c| c.as_str()).collect::<Vec<_>>())))
        .collect();
    Some(json!({
        "at_risk_percent": l.at_risk_basis_points as f64 / 100.0,
        "on_priority_change": match l.on_priority_change { OnPriorityChange::Retarget => "retarget", OnPriorityChange::Keep => "keep" },
        "statuses": statuses,
        "pause_on": pause_on,
        "priorities": priorities,
    }))
}

/// [`describe`] as (label, text) lines for a table: one per setting, per
/// metric's pauses, per class with names of the plan's own, and per
/// priority with a next-response or resolution target (`(assumed)` marked).
pub fn describe_lines(plan: &super::Plan) -> Vec<(String, String)> {
    let l = &plan.lifecycle;
    let mut out = Vec::new();
    if describe(plan).is_none() {
        return out;
    }
    out.push(("at risk from".to_string(), format!("{} %", l.at_risk_basis_points as f64 / 100.0)));
    let change = match l.on_priority_change {
        OnPriorityChange::Retarget => "retarget (the priority in force when a cycle is evaluated)",
        OnPriorityChange::Keep => "keep (the creation priority's targets)",
    };
    out.push(("on priority change".to_string(), change.to_string()));
    for m in Metric::ALL {
        let p: Vec<&str> = l.pause_on(m).iter().map(|c| c.as_str()).collect();
        out.push((format!("{} pauses on", m.as_str()), if p.is_empty() { "nothing".into() } else { p.join(", ") }));
    }
    for c in StatusClass::ALL {
        let names: Vec<&str> = l.statuses.iter().filter(|(_, k)| *k == c).map(|(n, _)| n.as_str()).collect();
        if !names.is_empty() {
            out.push((format!("{} statuses", c.as_str()), format!("{} (besides the defaults)", names.join(", "))));
        }
    }
    for x in &plan.priorities {
        let one = |name: &str, t: Option<&MetricTarget>| {
            t.map(|t| {
                let mark = if t.provenance.is_assumed() { " (assumed)" } else { "" };
                format!("{name} {}{mark}", t.target)
            })
        };
        let parts: Vec<String> =
            [one("next response", x.next_response.as_ref()), one("resolution", x.resolution.as_ref())]
                .into_iter()
                .flatten()
                .collect();
        if !parts.is_empty() {
            out.push((format!("{} targets", x.name), parts.join("; ")));
        }
    }
    out
}

type R<T> = Result<T, PlanError>;

/// Reads a priority's `next_response` / `resolution` target: its own
/// `*_source` / `*_assumed`, else the priority's `source` / `assumed`.
///
/// # Errors
/// A bad target, or no provenance at all, located by `err`.
pub fn metric_target(
    value: Option<&SStr>,
    own: (&Option<String>, &Option<String>),
    table: (&Option<String>, &Option<String>),
    what: &str,
    err: &dyn Fn(Range<usize>, String) -> PlanError,
) -> R<Option<MetricTarget>> {
    let Some(v) = value else { return Ok(None) };
    let target = Target::parse(v.get_ref()).map_err(|m| err(v.span(), format!("{what}: {m}")))?;
    let pick = |(s, a): (&Option<String>, &Option<String>)| match (s, a) {
        (Some(s), _) => Some(Provenance::Source(s.trim().to_string())),
        (None, Some(a)) => Some(Provenance::Assumed(a.trim().to_string())),
        (None, None) => None,
    };
    let provenance = pick(own).or_else(|| pick(table)).ok_or_else(|| {
        err(
            v.span(),
            format!(
                "{what} has no provenance: add {what}_source = \"<quote of the vendor's terms>\" or {what}_assumed = \"<why>\" (or the priority's source / assumed)"
            ),
        )
    })?;
    Ok(Some(MetricTarget { target, provenance }))
}

/// Reads the lifecycle settings of a plan, pushing every problem found to
/// `errs` (each located by `err`); what is wrong keeps its default.
pub fn lifecycle(
    raw: &RawPlan,
    err: &dyn Fn(Range<usize>, String) -> PlanError,
    errs: &mut Vec<PlanError>,
) -> Lifecycle {
    let mut l = Lifecycle::default();
    let classes = "open, waiting, on_hold, solved, closed";
    for (class, names) in &raw.statuses {
        let Some(c) = StatusClass::parse(class.get_ref()) else {
            errs.push(err(
                class.span(),
                format!("unknown status class \"{}\" (expected one of: {classes})", cut(class.get_ref(), 80)),
            ));
            continue;
        };
        for n in names {
            let name = n.get_ref().trim().to_lowercase();
            if name.is_empty() {
                errs.push(err(n.span(), "status name is empty".into()));
                continue;
            }
            if let Some((_, other)) = l.statuses.iter().find(|(s, _)| *s == name).filter(|(_, o)| *o != c) {
                errs.push(err(
                    n.span(),
                    format!(
                        "status name \"{}\" is mapped to both {} and {}",
                        cut(&name, 80),
                        other.as_str(),
                        c.as_str()
                    ),
                ));
                continue;
            }
            l.statuses.push((name, c));
        }
    }
    for (metric, m) in &raw.metrics {
        let Some(mt) = Metric::parse(metric.get_ref()) else {
            errs.push(err(
                metric.span(),
                format!(
                    "unknown metric \"{}\" (expected first_response, next_response or resolution)",
                    cut(metric.get_ref(), 80)
                ),
            ));
            continue;
        };
        let Some(pause_on) = &m.get_ref().pause_on else { continue };
        let mut bits = 0u8;
        for c in pause_on {
            match StatusClass::parse(c.get_ref()) {
                Some(StatusClass::Solved | StatusClass::Closed) => errs.push(err(
                    c.span(),
                    format!(
                        "pause_on \"{}\": a solved or closed ticket stops the clock, it does not pause it (expected open, waiting or on_hold)",
                        c.get_ref().trim()
                    ),
                )),
                Some(class) => bits |= class.bit(),
                None => errs.push(err(
                    c.span(),
                    format!(
                        "unknown status class \"{}\" in pause_on (expected open, waiting or on_hold)",
                        cut(c.get_ref(), 80)
                    ),
                )),
            }
        }
        l.pause_on[mt as usize] = bits;
    }
    if let Some(o) = &raw.on_priority_change {
        match o.get_ref().trim() {
            "retarget" => l.on_priority_change = OnPriorityChange::Retarget,
            "keep" => l.on_priority_change = OnPriorityChange::Keep,
            other => errs.push(err(
                o.span(),
                format!("unknown on_priority_change \"{}\" (expected retarget or keep)", cut(other, 80)),
            )),
        }
    }
    if let Some(p) = &raw.at_risk_percent {
        let shown = cut(&p.get_ref().to_string(), 80).into_owned();
        match super::validate::decimal::<crate::decimal::BasisPoint>(p.get_ref()).map(crate::decimal::Fixed::raw) {
            Some(bp) if (100..=10_000).contains(&bp) => l.at_risk_basis_points = bp,
            // A fraction written for a percentage (0.75 for 75 %) would put
            // every ticket at risk within minutes.
            Some(bp) if (1..100).contains(&bp) => errs.push(err(
                p.span(),
                format!(
                    "invalid at_risk_percent {shown}: it is a percentage from 1 to 100, not a fraction (did you mean {bp}?)"
                ),
            )),
            _ => errs.push(err(
                p.span(),
                format!("invalid at_risk_percent {shown} (expected a percentage above 0, at most 100, e.g. 75 or 80.5)"),
            )),
        }
    }
    l
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
