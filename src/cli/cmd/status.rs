//! `slacalc status`: how much of the clock is used; breached?

use anyhow::{Result, bail};
use serde_json::{Value, json};
use slacalc::engine::format_duration;
use slacalc::instant::format_instant;
use slacalc::plan::lifecycle::Metric;

use super::ticket;
use crate::cli::args::{Format, StatusArgs};
use crate::cli::{Ctx, Output, render};

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
    let mut m = ticket::deadline_fields(plan, &r, &s.deadline, disp);
    if a.metric.is_some() {
        m.insert("metric".into(), json!(metric.as_str()));
    }
    let stop_key = if metric == Metric::Resolution { "resolved" } else { "responded" };
    m.insert(stop_key.into(), json!(responded.map(|t| format_instant(t, disp))));
    m.insert("now".into(), json!(format_instant(now, disp)));
    m.insert("elapsed_seconds".into(), json!(s.elapsed));
    m.insert("elapsed".into(), json!(format_duration(s.elapsed)));
    m.insert("remaining_seconds".into(), json!(s.remaining));
    m.insert("remaining".into(), json!(s.remaining.map(format_duration)));
    m.insert("used_percent".into(), json!(s.used_percent));
    m.insert("state".into(), json!(s.state.as_str()));
    let rules = ticket::explain_rules(&s.deadline, &r, disp);
    if a.ticket.explain {
        m.insert("explain".into(), ticket::explain_json(&s.elapsed_steps, disp));
        m.insert("rules".into(), json!(rules));
    }
    let v = Value::Object(m);
    let mut text = render::record(ctx.format, &v, &["explain", "rules"]);
    if a.ticket.explain && ctx.format == Format::Table {
        text.push_str(&ticket::explain_table(&s.elapsed_steps, &rules, disp, &r.calendar));
    }
    let code = u8::from(a.check && s.state.is_failure());
    Ok(Output { text, code })
}
