//! `slacalc deadline`: when is the first response due?

use anyhow::Result;

use super::ticket;
use crate::cli::args::DeadlineArgs;
use crate::cli::{Ctx, Output};

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
    if ctx.format_arg == Some(crate::cli::args::FormatArg::Ics) {
        return Ok(Output::ok(ticket::deadline_ics(plan, &r, &d, disp, ctx.now(zone)?, None)?));
    }
    let v = ticket::explained(ticket::deadline_view(plan, &r, &d, disp), a.ticket.explain, &d.steps, &r, &d, disp);
    Ok(Output::ok(ticket::render_explained(ctx.format, &v, &d.steps, disp, &r.calendar)))
}
