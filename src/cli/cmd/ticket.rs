//! What `deadline` and `status` share: resolving the plan, priority, times and
//! pauses of one ticket, and rendering the deadline fields and `--explain`.

use anyhow::Result;
use serde_json::{Map, Value, json};
use slacalc::engine::{Calendar, Segment, Step, format_duration, segment::normalize};
use slacalc::instant::{Display, format_instant};
use slacalc::plan::Plan;
use slacalc::sla::{DeadlineAnswer, Resolved};

use crate::cli::args::TicketArgs;
use crate::cli::{Ctx, render};

/// Parses `--pause FROM/TO` values into normalized spans.
pub fn pauses(ctx: &Ctx, list: &[String], zone: chrono_tz::Tz) -> Result<Vec<Segment>> {
    let now = ctx.now(zone)?;
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        out.push(slacalc::sla::parse_pause(p, ctx.input_zone(zone), now, "--pause")?);
    }
    Ok(normalize(out))
}

/// The plan and resolved priority of a ticket.
pub fn resolve<'a>(plans: &'a slacalc::PlanSet, t: &TicketArgs) -> Result<(&'a Plan, Resolved)> {
    let plan = plans.get(&t.plan)?;
    let r = slacalc::sla::resolve(plan, t.priority.as_deref())?;
    Ok((plan, r))
}

/// The deadline fields of the JSON contract, in order.
pub fn deadline_fields(plan: &Plan, r: &Resolved, d: &DeadlineAnswer, disp: Display) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("plan".into(), json!(plan.id));
    m.insert("provider".into(), json!(plan.provider));
    m.insert("priority".into(), json!(r.priority));
    m.insert("opened".into(), json!(format_instant(d.opened, disp)));
    m.insert("clock_start".into(), json!(format_instant(d.clock_start, disp)));
    m.insert("target".into(), json!(r.target.to_string()));
    m.insert("target_seconds".into(), json!(r.target_seconds));
    m.insert("clock".into(), json!(r.clock.as_str()));
    m.insert("deadline".into(), json!(d.deadline.map(|t| format_instant(t, disp))));
    m.insert("commitment".into(), json!(r.commitment.as_str()));
    m.insert("assumed".into(), json!(r.assumed));
    m.insert("assumptions".into(), json!(r.assumptions));
    m
}

/// `--explain` steps as JSON objects. A worked piece's `date` is the date
/// its `from` shows (in the display zone); `calendar_date` is the working
/// day of the calendar it belongs to. Holidays and whole weeks are dates of
/// the calendar.
pub fn explain_json(steps: &[Step], disp: Display) -> Value {
    let t = |s: i64| format_instant(s, disp);
    Value::Array(
        steps
            .iter()
            .map(|s| match s {
                Step::Worked { date, span, total } => json!({
                    "step": "worked", "date": shown_date(span.start, disp).unwrap_or(*date).to_string(),
                    "calendar_date": date.to_string(), "from": t(span.start), "to": t(span.end),
                    "seconds": span.duration(), "total_seconds": total,
                }),
                Step::Weeks { from, to, worked, total } => json!({
                    "step": "weeks", "from_date": from.to_string(), "to_date": to.to_string(),
                    "seconds": worked, "total_seconds": total,
                }),
                Step::Holiday { date, name } => json!({"step": "holiday", "date": date.to_string(), "name": name}),
                Step::Paused { span } => json!({
                    "step": "paused", "from": t(span.start), "to": t(span.end), "seconds": span.duration(),
                }),
            })
            .collect(),
    )
}

/// The date instant `t` shows where it is displayed.
fn shown_date(t: i64, disp: Display) -> Option<chrono::NaiveDate> {
    local_time(t, disp).map(|l| l.date())
}

/// Short local wall-clock label of an instant: `Fri 2026-11-20 17:30`
/// (seconds only when they are not zero; `Z` in UTC).
fn wall(t: i64, disp: Display) -> String {
    let Some(local) = local_time(t, disp) else { return t.to_string() };
    let fmt = if t % 60 == 0 { "%a %Y-%m-%d %H:%M" } else { "%a %Y-%m-%d %H:%M:%S" };
    match disp {
        Display::Utc => format!("{}Z", local.format(fmt)),
        Display::Zone(_) => local.format(fmt).to_string(),
    }
}

/// The wall-clock date and time of `t` where it is shown.
fn local_time(t: i64, disp: Display) -> Option<chrono::NaiveDateTime> {
    match disp {
        Display::Utc => chrono::DateTime::from_timestamp(t, 0).map(|d| d.naive_utc()),
        Display::Zone(z) => slacalc::engine::zone::wall_clock(z, t),
    }
}

/// Time of day only (`14:30`), for window rows.
fn hm(t: i64, disp: Display) -> String {
    let s = wall(t, disp);
    s.split(' ').nth(2).unwrap_or_default().to_string()
}

/// The end of a worked piece that starts at `start`, as a time of day on
/// the start's date: `24:00` for the next midnight, `03:00 (+1d)` when it
/// ends on a later date (a window seen from a far zone).
fn piece_end(start: i64, end: i64, disp: Display) -> String {
    let (Some(a), Some(b)) = (local_time(start, disp), local_time(end, disp)) else { return hm(end, disp) };
    match (b.date() - a.date()).num_days() {
        0 => hm(end, disp),
        1 if b.time() == chrono::NaiveTime::MIN => "24:00".into(),
        n => format!("{} ({n:+}d)", hm(end, disp)),
    }
}

/// The calendar's zone when times are shown in another one: then dates
/// without times (holidays, whole weeks) are the calendar's and say so.
fn calendar_zone(disp: Display, cal: &Calendar) -> Option<&'static str> {
    let own = if cal.is_always() { "UTC" } else { cal.tz().name() };
    (own != zone_label(disp)).then_some(own)
}

/// The zone times are shown in, for the `--explain` title.
fn zone_label(disp: Display) -> &'static str {
    match disp {
        Display::Utc => "UTC",
        Display::Zone(z) => z.name(),
    }
}

/// Sentences that explain the rules applied, for `--explain`: how the clock
/// started, what the target means, and where the deadline falls.
pub fn explain_rules(d: &DeadlineAnswer, r: &Resolved, disp: Display) -> Vec<String> {
    use slacalc::engine::Target;
    use slacalc::sla::Commitment;
    let mut v = Vec::new();
    match r.commitment {
        Commitment::None => {
            v.push("no service level on this plan: no target, no deadline".into());
            return v;
        }
        Commitment::BestEffort => {
            v.push("best effort: the vendor commits to no response time, so there is no deadline".into());
            return v;
        }
        Commitment::Committed => {}
    }
    if r.calendar.is_always() {
        v.push("24x7 clock: every real second counts, nights, weekends and holidays included".into());
    }
    if r.calendar.is_always() {
        v.push(format!("opened {}: the clock starts at once", wall(d.opened, disp)));
    } else if d.clock_start > d.opened {
        v.push(format!(
            "opened outside working hours ({}): clock starts {}",
            wall(d.opened, disp),
            wall(d.clock_start, disp)
        ));
    } else {
        v.push(format!("opened inside working hours ({}): the clock starts at once", wall(d.opened, disp)));
    }
    if let (Some(secs), Target::BusinessDays(n)) = (r.target_seconds, r.target) {
        v.push(format!(
            "{n}bd = {n} × {} business day = {} of working time",
            format_duration(r.calendar.business_day()),
            format_duration(secs)
        ));
    }
    if let Some(due) = d.deadline {
        let at_window_end = !r.calendar.is_always()
            && due > d.opened
            && slacalc::engine::clock_start(&r.calendar, due).is_ok_and(|next| next > due);
        if at_window_end {
            v.push(format!(
                "target used up exactly at a window's end: due {}, not at the next opening",
                wall(due, disp)
            ));
        }
        v.push(format!(
            "deadline: {} = {} of working time after the clock started",
            wall(due, disp),
            format_duration(r.target_seconds.unwrap_or_default())
        ));
    }
    v
}

/// `--explain` as a table: one row per window, holiday, pause or block of
/// whole weeks, with the running total; then the rules applied. A window's
/// date is the date its times show in the display zone (as the deadline line
/// does); holidays and whole weeks are dates of the calendar `cal`, whose
/// zone is named when it is not the display zone.
pub fn explain_table(steps: &[Step], rules: &[String], disp: Display, cal: &Calendar) -> String {
    let mut out = String::new();
    let other = calendar_zone(disp, cal);
    if !steps.is_empty() {
        out.push_str(&format!("How the clock ran (times in {}):\n", zone_label(disp)));
        let in_zone = other.map_or_else(String::new, |z| format!(" in {z}"));
        let mut t = crate::cli::render::table();
        t.set_header(vec!["date", "working time", "counted", "running total"]);
        let mut total = 0;
        for s in steps {
            let row = match s {
                Step::Worked { date, span, total: after } => {
                    total = *after;
                    let shown = shown_date(span.start, disp).unwrap_or(*date);
                    vec![
                        format!("{} {shown}", shown.format("%a")),
                        format!("{}–{}", hm(span.start, disp), piece_end(span.start, span.end, disp)),
                        format_duration(span.duration()),
                        format_duration(total),
                    ]
                }
                Step::Weeks { from, to, worked, total: after } => {
                    total = *after;
                    let n = (*to - *from).num_days() / 7;
                    vec![
                        format!("{from} … {}", to.pred_opt().unwrap_or(*to)),
                        format!("{n} whole week{}{in_zone}", if n == 1 { "" } else { "s" }),
                        format_duration(*worked),
                        format_duration(total),
                    ]
                }
                Step::Holiday { date, name } => vec![
                    format!("{} {date}", date.format("%a")),
                    format!("holiday{in_zone}: {name}"),
                    "skipped".into(),
                    format_duration(total),
                ],
                Step::Paused { span } => vec![
                    wall(span.start, disp).rsplit_once(' ').map_or_else(String::new, |(d, _)| d.to_string()),
                    format!("paused {}–{}", hm(span.start, disp), paused_end(span.start, span.end, disp)),
                    format!("skipped {}", format_duration(span.duration())),
                    format_duration(total),
                ],
            };
            t.add_row(row);
        }
        out.push_str(&render::show(&mut t));
    }
    for r in rules {
        out.push_str(&crate::cli::render::wrap(&format!("• {r}"), 2));
    }
    out
}

/// The end of a paused span: a time of day when it ends the same day, else a full label.
fn paused_end(start: i64, end: i64, disp: Display) -> String {
    let (a, b) = (wall(start, disp), wall(end, disp));
    let day = |s: &str| s.rsplit_once(' ').map(|(d, _)| d.to_string());
    if day(&a) == day(&b) { hm(end, disp) } else { b }
}
