//! `slacalc deadline`: when is the first response due?

use anyhow::Result;
use slacalc::sla::Ticket;

use super::ticket;
use crate::cli::args::DeadlineArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::CalendarFormat;

/// Runs `deadline`.
pub(crate) fn run(ctx: &Ctx, a: &DeadlineArgs, format: CalendarFormat) -> Result<Output> {
    let plans = ctx.plans()?;
    let (plan, _, r) = ticket::resolve(&plans, &a.ticket, a.metric.as_deref())?;
    let zone = plan.calendar.calendar.tz();
    let opened = ctx.instant("--opened", &a.opened, zone)?;
    let pauses = ticket::pauses(ctx, &a.ticket.pauses, zone)?;
    let d = Ticket::opened(slacalc::Timestamp::from_secs(opened)).with_pauses(pauses).deadline(&r, a.ticket.explain)?;
    let disp = ctx.display(zone);
    let Some(layout) = format.layout() else {
        return Ok(Output::ok(ticket::deadline_ics(plan, &r, &d, disp, ctx.now(zone)?, None)?));
    };
    let v = ticket::explained(ticket::deadline_view(plan, &r, &d, disp), a.ticket.explain, &d.steps, &r, &d, disp);
    Ok(Output::ok(ticket::render_explained(layout, &v, &d.steps, disp, &r.calendar)))
}
