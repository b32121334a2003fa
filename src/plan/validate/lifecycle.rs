//! The lifecycle keys of a plan (`[plans.statuses]`, `[plans.metrics.NAME]`,
//! `on_priority_change`, `at_risk_percent`) and the per-metric targets of a
//! priority, read into [`crate::plan::lifecycle`]'s model.

use std::ops::Range;

use crate::engine::Target;
use crate::error::PlanError;
use crate::plan::Provenance;
use crate::plan::lifecycle::{Lifecycle, Metric, MetricTarget, OnPriorityChange, StatusClass};
use crate::plan::raw::{RawPlan, SStr};
use crate::text::cut;

type R<T> = Result<T, PlanError>;

/// Reads a priority's `next_response` / `resolution` target: its own
/// `*_source` / `*_assumed`, else the priority's `source` / `assumed`.
///
/// # Errors
/// A bad target, or no provenance at all, located by `err`.
pub(super) fn metric_target(
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
pub(super) fn lifecycle(
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
        match super::decimal::<crate::decimal::BasisPoint>(p.get_ref()).map(crate::decimal::Fixed::raw) {
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
