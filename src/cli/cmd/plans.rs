//! `slacalc plans list | show | compare`.

use anyhow::Result;
use serde_json::{Map, Value, json};
use slacalc::engine::{HolidayRule, format_duration};
use slacalc::plan::{Allowance, BelowThreshold, CreditRule, OutageRate, Plan, Provenance, Quota};

use crate::cli::args::PlansCommand;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render::{self, hours_summary};
use crate::cli::view::{
    HolidayView, LifecycleView, PlanCalendarView, PlanEntitlementView, PlanRow, PlanView, PriorityView, ProvenanceView,
};

/// Runs `plans …`.
pub(crate) fn run(ctx: &Ctx, c: &PlansCommand, format: Format) -> Result<Output> {
    let set = ctx.plans()?;
    let text = match c {
        PlansCommand::List => {
            let rows: Vec<PlanRow> = set
                .plans()
                .iter()
                .map(|p| PlanRow {
                    id: &p.id,
                    provider: &p.provider,
                    name: &p.name,
                    aliases: &p.aliases,
                    calendar: p.calendar.calendar.id(),
                    priorities: p.priorities.iter().map(|x| x.name.as_str()).collect(),
                    origin: &p.origin,
                })
                .collect();
            if format == Format::Table { list_table(set.plans()) } else { render::rows_of(format, &rows) }
        }
        PlansCommand::Show { plan } => show(format, set.get(plan)?),
        PlansCommand::Compare { plans } => {
            let list: Vec<&Plan> = plans.iter().map(|n| set.get(n)).collect::<Result<_, _>>()?;
            compare(format, &list)
        }
    };
    Ok(Output { text, code: 0 })
}

/// `plans list` for people: one line per plan, fitting 80 columns, the id and
/// where the plan came from never wrapped (JSON and CSV carry every field).
fn list_table(plans: &[Plan]) -> String {
    use comfy_table::{ColumnConstraint, Width};
    let mut t = render::table();
    t.set_header(vec!["plan", "aliases", "provider", "from"]);
    for p in plans {
        t.add_row(vec![p.id.clone(), p.aliases.join(", "), p.provider.clone(), p.origin.clone()]);
    }
    // Room for the origin (plus the cell's padding), up to 30 characters.
    let origin_width = plans.iter().map(|p| p.origin.chars().count()).max().unwrap_or(0).min(30) + 2;
    if let Some(c) = t.column_mut(0) {
        c.set_constraint(ColumnConstraint::ContentWidth);
    }
    if let Some(c) = t.column_mut(3) {
        c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(origin_width).unwrap_or(32))));
    }
    format!(
        "{}{} plans. Details: slacalc plans show PLAN. \"embedded:\" plans are built in;\nothers come from --plans or SLACALC_PLANS (the file path is shown).\n",
        render::show(&mut t),
        plans.len()
    )
}

fn prov(p: &Provenance) -> ProvenanceView<'_> {
    match p {
        Provenance::Source(s) => ProvenanceView::Source(s),
        Provenance::Assumed(a) => ProvenanceView::Assumed(a),
    }
}

/// A figure with an "(assumed)" mark, for tables.
fn marked(text: String, p: &Provenance) -> String {
    if p.is_assumed() { format!("{text} (assumed)") } else { text }
}

fn quota_text(q: &Quota) -> String {
    let unit = q.unit.as_str();
    let amount = match &q.allowance {
        Allowance::Unlimited => format!("unlimited {unit}"),
        Allowance::PerContract => format!("{unit}: amount per contract (give --allowance)"),
        Allowance::Fixed(m) => format!("{m} {unit}"),
        Allowance::Rate { amount, per, currency } => format!("{amount} {unit} per full {currency} {per:#}"),
    };
    let mut s = format!("{amount} per {}", q.period.as_str());
    if !q.excluded_kinds.is_empty() {
        s.push_str(&format!("; not counted: {}", q.excluded_kinds.join(", ")));
    }
    marked(s, &q.allowance_provenance)
}

fn credit_text(c: &Option<CreditRule>) -> String {
    match c {
        None => "none published".into(),
        Some(CreditRule::None(p)) => marked("no uptime commitment".into(), p),
        Some(CreditRule::Uptime(c)) => {
            let mut parts = Vec::new();
            if let Some(t) = c.threshold {
                let owed = match &c.below_threshold {
                    None if !c.tiers.is_empty() => "credit by the tiers below".to_string(),
                    Some(BelowThreshold::PerContract) | None => "credit per contract".to_string(),
                    Some(BelowThreshold::Percent(bp)) => format!("{bp:#.2} % credit"),
                };
                parts.push(format!("below {t} % {} uptime: {owed}", c.period.as_str()));
            }
            for t in &c.tiers {
                parts.push(format!(
                    "{} % ≤ uptime {} {} %: {:#.2} %",
                    t.at_least,
                    if t.below_inclusive { "≤" } else { "<" },
                    t.below,
                    t.credit_basis_points
                ));
            }
            if let Some(o) = &c.outage {
                let rate = match o.rate {
                    OutageRate::Daily => "daily rate (annual / 365)".to_string(),
                    OutageRate::Percent(bp) => format!("{bp:#.2} % of the annual fee"),
                };
                parts.push(format!(
                    "each outage > {}: ceil(duration / {}) × {rate}",
                    format_duration(o.longer_than),
                    format_duration(o.unit)
                ));
            }
            parts.join("\n")
        }
    }
}

fn holiday_rule(r: &HolidayRule) -> String {
    r.to_string()
}

fn show(format: Format, p: &Plan) -> String {
    let cal = &p.calendar;
    let priorities = p
        .priorities
        .iter()
        .map(|x| PriorityView {
            name: &x.name,
            aliases: &x.aliases,
            target: x.target.to_string(),
            target_seconds: x.target.seconds(p.calendar_for(x.clock).business_day()).map(slacalc::WorkSpan::secs),
            clock: x.clock.as_str(),
            assumed: x.target_provenance.is_assumed(),
            provenance: prov(&x.target_provenance),
            clock_provenance: x.clock_provenance.as_ref().map(prov),
            description: &x.description,
        })
        .collect();
    let entitlements = p
        .entitlements
        .iter()
        .map(|e| PlanEntitlementView {
            feature: &e.feature,
            included: e.included,
            detail: &e.detail,
            assumed: e.provenance.is_assumed(),
            provenance: prov(&e.provenance),
        })
        .collect();
    let v = PlanView {
        id: &p.id,
        name: &p.name,
        provider: &p.provider,
        aliases: &p.aliases,
        origin: &p.origin,
        description: &p.description,
        calendar: PlanCalendarView {
            id: cal.calendar.id(),
            zone: cal.calendar.tz().name(),
            hours: hours_summary(&cal.calendar),
            business_day_seconds: cal.calendar.business_day().secs(),
            holidays: cal
                .calendar
                .holidays()
                .iter()
                .map(|h| HolidayView { name: &h.name, rule: holiday_rule(&h.rule) })
                .collect(),
            zone_provenance: prov(&cal.zone),
            hours_provenance: prov(&cal.hours),
            holidays_provenance: prov(&cal.holidays),
        },
        target: p.default_target.as_ref().map(|(t, _)| t.to_string()),
        priorities,
        quota: p.quota.as_ref().map(quota_text),
        credit: credit_text(&p.credit),
        entitlements,
        notes: &p.notes,
        lifecycle: LifecycleView::of(p),
    };
    if format != Format::Table {
        return render::record_of(format, &v, &[]);
    }
    let mut out = String::new();
    let mut t = render::table();
    t.add_row(vec!["plan".to_string(), format!("{} ({}) — {}", p.id, p.name, p.provider)]);
    if !p.aliases.is_empty() {
        t.add_row(vec!["aliases".to_string(), p.aliases.join(", ")]);
    }
    t.add_row(vec!["from".to_string(), p.origin.clone()]);
    t.add_row(vec![
        "calendar".to_string(),
        format!(
            "{}: {}\n{}\nbusiness day {}",
            cal.calendar.id(),
            marked(cal.calendar.tz().name().to_string(), &cal.zone),
            marked(hours_summary(&cal.calendar), &cal.hours),
            format_duration(cal.calendar.business_day().secs())
        ),
    ]);
    let hol: Vec<String> =
        cal.calendar.holidays().iter().map(|h| format!("{} ({})", h.name, holiday_rule(&h.rule))).collect();
    t.add_row(vec![
        marked("holidays".to_string(), &cal.holidays),
        if hol.is_empty() { "none".into() } else { hol.join("\n") },
    ]);
    if let Some((target, pv)) = &p.default_target {
        t.add_row(vec!["target".to_string(), marked(target.to_string(), pv)]);
    }
    t.add_row(vec!["quota".to_string(), p.quota.as_ref().map_or("none published (unlimited)".into(), quota_text)]);
    t.add_row(vec!["credit".to_string(), credit_text(&p.credit)]);
    for n in &p.notes {
        t.add_row(vec!["note".to_string(), n.clone()]);
    }
    out.push_str(&render::show(&mut t));
    if !p.priorities.is_empty() {
        let mut t = render::table();
        t.set_header(vec!["priority", "aliases", "target", "clock", "provenance"]);
        for (i, x) in p.priorities.iter().enumerate() {
            let mut aliases = x.aliases.clone();
            aliases.push(format!("p{}", i + 1));
            let mut pv = match &x.target_provenance {
                Provenance::Source(s) => format!("source: {s}"),
                Provenance::Assumed(a) => format!("ASSUMED: {a}"),
            };
            if let Some(Provenance::Assumed(a)) = &x.clock_provenance {
                pv.push_str(&format!("\nclock ASSUMED: {a}"));
            }
            t.add_row(vec![
                x.name.clone(),
                aliases.join(", "),
                marked(x.target.to_string(), &x.target_provenance),
                x.clock.as_str().into(),
                pv,
            ]);
        }
        out.push_str(&render::show(&mut t));
    }
    let lifecycle = LifecycleView::of(p).map(|v| v.lines()).unwrap_or_default();
    if !lifecycle.is_empty() {
        let mut t = render::table();
        t.set_header(vec!["lifecycle", "setting"]);
        for (k, v) in lifecycle {
            t.add_row(vec![k, v]);
        }
        out.push_str(&render::show(&mut t));
    }
    if !p.entitlements.is_empty() {
        let mut t = render::table();
        t.set_header(vec!["feature", "included", "detail"]);
        for e in &p.entitlements {
            t.add_row(vec![
                e.feature.clone(),
                marked(if e.included { "yes".into() } else { "no".into() }, &e.provenance),
                e.detail.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&render::show(&mut t));
    }
    out
}

fn compare(format: Format, plans: &[&Plan]) -> String {
    let mut rows: Vec<Value> = Vec::new();
    let mut row = |field: &str, f: &dyn Fn(&Plan) -> String| {
        let mut m = Map::new();
        m.insert("field".into(), json!(field));
        for p in plans {
            m.insert(p.id.clone(), json!(f(p)));
        }
        rows.push(Value::Object(m));
    };
    row("provider", &|p| p.provider.clone());
    row("calendar", &|p| format!("{} {}", p.calendar.calendar.tz().name(), hours_summary(&p.calendar.calendar)));
    let levels = plans.iter().map(|p| p.priorities.len()).max().unwrap_or(0);
    if levels == 0 {
        row("target", &|p| p.default_target.as_ref().map_or(String::new(), |(t, pv)| marked(t.to_string(), pv)));
    }
    for i in 0..levels {
        row(&format!("p{}", i + 1), &|p| match p.priorities.get(i) {
            Some(x) => {
                let clock = if x.clock.as_str() == "24x7" { " 24x7" } else { "" };
                marked(format!("{} {}{clock}", x.name, x.target), &x.target_provenance)
            }
            None if i == 0 => p.default_target.as_ref().map_or(String::new(), |(t, pv)| marked(t.to_string(), pv)),
            None => String::new(),
        });
    }
    row("quota", &|p| p.quota.as_ref().map_or("unlimited".into(), quota_text));
    row("credit", &|p| credit_text(&p.credit));
    let mut features: Vec<String> =
        plans.iter().flat_map(|p| p.entitlements.iter().map(|e| e.feature.clone())).collect();
    features.sort();
    features.dedup();
    for f in features {
        row(&f, &|p| match p.entitlements.iter().find(|e| e.feature == f) {
            Some(e) => {
                let base = if e.included { "yes" } else { "no" };
                let text = match &e.detail {
                    Some(d) => format!("{base} ({d})"),
                    None => base.to_string(),
                };
                marked(text, &e.provenance)
            }
            None => "—".into(),
        });
    }
    render::rows(format, &rows)
}
