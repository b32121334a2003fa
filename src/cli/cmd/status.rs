//! `slacalc status`: how much of the clock is used; breached?

use anyhow::{Result, bail};
use slacalc::engine::format_duration;
use slacalc::instant::format_instant;
use slacalc::plan::lifecycle::Metric;

use super::ticket;
use crate::cli::args::StatusArgs;
use crate::cli::view::StatusView;
use crate::cli::{Ctx, Output};

/// Runs `status`.
pub fn run(ctx: &Ctx, a: &StatusArgs) -> Result<Output> {
    let plans = ctx.plans()?;
    let (plan, r) = ticket::resolve(&plans, &a.ticket)?;
    let metric = super::metric::parse(a.metric.as_deref())?;
    let r = super::metric::resolve(plan, &a.ticket, metric, r)?;
    let (stop_flag, stop_arg) = super::metric::stop(metric, a.responded.as_deref(), a.resolved.as_deref())?;
    let zone = plan.calendar.calendar.tz();
    let opened = ctx.instant("--opened", &a.opened, zone)?;
    let responded = stop_arg.map(|s| ctx.instant(stop_flag, s, zone)).transpose()?;
    if let Some(t) = responded {
        if t < opened {
            bail!(slacalc::Error::Input(format!(
                "{stop_flag} {} is before --opened {}",
                stop_arg.unwrap_or_default(),
                a.opened
            )));
        }
    }
    let now = ctx.now(zone)?;
    slacalc::sla::not_after_now("--opened", opened, now, ctx.display(zone))?;
    if let Some(t) = responded {
        slacalc::sla::not_after_now(stop_flag, t, now, ctx.display(zone))?;
    }
    let pauses = ticket::pauses(ctx, &a.ticket.pauses, zone)?;
    let s = slacalc::sla::status(&r, opened, responded, now, &pauses, a.ticket.explain)?;
    let disp = ctx.display(zone);
    if ctx.format_arg == Some(crate::cli::args::FormatArg::Ics) {
        let state = format!("state {} at {}", s.state.as_str(), format_instant(now, disp));
        let text = ticket::deadline_ics(plan, &r, &s.deadline, disp, now, Some(state))?;
        return Ok(Output { text, code: u8::from(a.check && s.state.is_failure()) });
    }
    let stop = Some(responded.map(|t| format_instant(t, disp)));
    let resolution = metric == Metric::Resolution;
    let view = StatusView {
        deadline: ticket::deadline_view(plan, &r, &s.deadline, disp),
        metric: a.metric.is_some().then_some(metric.as_str()),
        responded: if resolution { None } else { stop.clone() },
        resolved: if resolution { stop } else { None },
        now: format_instant(now, disp),
        elapsed_seconds: s.elapsed,
        elapsed: format_duration(s.elapsed),
        remaining_seconds: s.remaining,
        remaining: s.remaining.map(format_duration),
        used_percent: s.used_percent,
        state: s.state.as_str(),
    };
    let v = ticket::explained(view, a.ticket.explain, &s.elapsed_steps, &r, &s.deadline, disp);
    let text = ticket::render_explained(ctx.format, &v, &s.elapsed_steps, disp, &r.calendar);
    let code = u8::from(a.check && s.state.is_failure());
    Ok(Output { text, code })
}
