//! `slacalc deadline`: when is the first response due?

use anyhow::Result;
use serde_json::{Value, json};

use super::ticket;
use crate::cli::args::{DeadlineArgs, Format};
use crate::cli::{Ctx, Output, render};

/// Runs `deadline`.
pub fn run(ctx: &Ctx, a: &DeadlineArgs) -> Result<Output> {
    let plans = ctx.plans()?;
    let (plan, r) = ticket::resolve(&plans, &a.ticket)?;
    let metric = super::metric::parse(a.metric.as_deref())?;
    let r = super::metric::resolve(plan, &a.ticket, metric, r)?;
    let zone = plan.calendar.calendar.tz();
    let opened = ctx.instant("--opened", &a.opened, zone)?;
    let pauses = ticket::pauses(ctx, &a.ticket.pauses, zone)?;
    let d = slacalc::sla::deadline(&r, opened, &pauses, a.ticket.explain)?;
    let disp = ctx.display(zone);
    let mut m = ticket::deadline_fields(plan, &r, &d, disp);
    let rules = ticket::explain_rules(&d, &r, disp);
    if a.ticket.explain {
        m.insert("explain".into(), ticket::explain_json(&d.steps, disp));
        m.insert("rules".into(), json!(rules));
    }
    let v = Value::Object(m);
    let mut text = render::record(ctx.format, &v, &["explain", "rules"]);
    if a.ticket.explain && ctx.format == Format::Table {
        text.push_str(&ticket::explain_table(&d.steps, &rules, disp, &r.calendar));
    }
    Ok(Output::ok(text))
}
