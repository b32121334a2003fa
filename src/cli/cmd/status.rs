//! `slacalc status`: how much of the clock is used; breached?

use anyhow::Result;
use slacalc::Timestamp;
use slacalc::engine::format_duration;
use slacalc::instant::format_instant;
use slacalc::plan::lifecycle::Metric;
use slacalc::sla::{Given, StopAfterNow, Ticket};

use super::ticket;
use crate::cli::args::StatusArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::CalendarFormat;
use crate::cli::view::StatusView;

/// Runs `status`.
pub(crate) fn run(ctx: &Ctx, a: &StatusArgs, format: CalendarFormat) -> Result<Output> {
    let plans = ctx.plans()?;
    let (plan, metric, r) = ticket::resolve(&plans, &a.ticket, a.metric.as_deref())?;
    let (stop_flag, stop_arg) = super::metric::stop(metric, a.responded.as_deref(), a.resolved.as_deref())?;
    let zone = plan.calendar.calendar.tz();
    let opened = ctx.instant("--opened", &a.opened, zone)?;
    let responded = stop_arg.map(|s| ctx.instant(stop_flag, s, zone)).transpose()?;
    let now = ctx.now(zone)?;
    let opened = Given { what: "--opened", at: Timestamp::from_secs(opened), typed: &a.opened, quoted: false };
    let stop = responded.map(|at| Given {
        what: stop_flag,
        at: Timestamp::from_secs(at),
        typed: stop_arg.unwrap_or_default(),
        quoted: false,
    });
    let ticket = Ticket::new(opened, stop, Timestamp::from_secs(now), StopAfterNow::Refused, ctx.display(zone))?;
    let pauses = ticket::pauses(ctx, &a.ticket.pauses, zone)?;
    let s = ticket.with_pauses(pauses).status(&r, Timestamp::from_secs(now), a.ticket.explain)?;
    let disp = ctx.display(zone);
    let Some(layout) = format.layout() else {
        let state = format!("state {} at {}", s.state.as_str(), format_instant(now, disp));
        let text = ticket::deadline_ics(plan, &r, &s.deadline, disp, now, Some(state))?;
        return Ok(Output { text, code: u8::from(a.check && s.state.is_failure()) });
    };
    let stop = Some(responded.map(|t| format_instant(t, disp)));
    let resolution = metric == Metric::Resolution;
    let view = StatusView {
        deadline: ticket::deadline_view(plan, &r, &s.deadline, disp),
        metric: a.metric.is_some().then_some(metric.as_str()),
        responded: if resolution { None } else { stop.clone() },
        resolved: if resolution { stop } else { None },
        now: format_instant(now, disp),
        elapsed_seconds: s.elapsed.secs(),
        elapsed: format_duration(s.elapsed.secs()),
        remaining_seconds: s.remaining.map(slacalc::WorkSpan::secs),
        remaining: s.remaining.map(|w| format_duration(w.secs())),
        used_percent: s.used_percent,
        state: s.state.as_str(),
    };
    let v = ticket::explained(view, a.ticket.explain, &s.elapsed_steps, &r, &s.deadline, disp);
    let text = ticket::render_explained(layout, &v, &s.elapsed_steps, disp, &r.calendar);
    let code = u8::from(a.check && s.state.is_failure());
    Ok(Output { text, code })
}
