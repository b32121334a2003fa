//! What `deadline` and `status` share: resolving the plan, priority, times and
//! pauses of one ticket, and rendering the deadline fields and `--explain`.

use anyhow::Result;
use slacalc::engine::{Calendar, Segment, Step, format_duration, segment::normalize};
use slacalc::instant::{Display, format_instant};
use slacalc::plan::Plan;
use slacalc::plan::lifecycle::Metric;
use slacalc::sla::{ClockStart, DeadlineAnswer, Explanation, Resolved, Untracked};

use crate::cli::args::TicketArgs;
use crate::cli::ctx::Ctx;
use crate::cli::format::Format;
use crate::cli::render;
use crate::cli::view::{DeadlineView, EXPLAIN_FIELDS, Explained, StepView};

/// Parses `--pause FROM/TO` values into normalized spans.
pub(super) fn pauses(ctx: &Ctx, list: &[String], zone: chrono_tz::Tz) -> Result<Vec<Segment>> {
    let now = ctx.now(zone)?;
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        out.push(slacalc::sla::parse_pause(p, ctx.input_zone(zone), now, "--pause")?);
    }
    Ok(normalize(out))
}

/// The plan of a ticket, the metric `--metric` names, and the target that
/// applies ([`slacalc::sla::resolve`], once).
pub(super) fn resolve<'a>(
    plans: &'a slacalc::PlanSet,
    t: &TicketArgs,
    metric: Option<&str>,
) -> Result<(&'a Plan, Metric, Resolved)> {
    let plan = plans.get(&t.plan)?;
    let metric = match super::metric::parse(metric) {
        Ok(m) => m,
        Err(e) => {
            // A bad priority is named before a bad --metric.
            slacalc::sla::resolve(plan, t.priority.as_deref(), Metric::FirstResponse, Untracked::Refused)?;
            return Err(e);
        }
    };
    let r = slacalc::sla::resolve(plan, t.priority.as_deref(), metric, Untracked::Refused)?;
    Ok((plan, metric, r))
}

/// `--format ics`: the deadline as one event (an instant, no `DTEND`);
/// `extra` adds a line to its description (the state, for `status`).
///
/// # Errors
/// A target without commitment has no deadline to export.
pub(super) fn deadline_ics(
    plan: &Plan,
    r: &Resolved,
    d: &DeadlineAnswer,
    disp: Display,
    now: i64,
    extra: Option<String>,
) -> Result<String> {
    let Some(at) = d.deadline else {
        anyhow::bail!(
            "no deadline to export as ics: the target is {} (use --format table or json)",
            r.commitment.as_str()
        );
    };
    let who = r.priority.as_deref().map_or_else(String::new, |p| format!(" {p}"));
    let mut lines = vec![
        format!("opened {}", format_instant(d.opened.secs(), disp)),
        format!("clock start {}", format_instant(d.clock_start.secs(), disp)),
        format!("target {} on {} ({})", r.target, r.calendar.id(), r.clock.as_str()),
        format!("deadline {}", format_instant(at.secs(), disp)),
    ];
    lines.extend(extra);
    let event = slacalc::ics::IcsEvent::Timed {
        uid: format!("deadline-{}-{}-{}@slacalc", plan.id, r.priority.as_deref().unwrap_or("target"), d.opened.secs()),
        start: at.secs(),
        end: at.secs(),
        summary: format!("SLA due: {}{who} ({})", plan.id, r.target),
        description: Some(lines.join("\n")),
    };
    Ok(slacalc::ics::write(&format!("{} deadline", plan.id), &[event], now)?)
}

/// The deadline fields of the JSON contract.
pub(super) fn deadline_view<'a>(
    plan: &'a Plan,
    r: &'a Resolved,
    d: &DeadlineAnswer,
    disp: Display,
) -> DeadlineView<'a> {
    DeadlineView {
        plan: &plan.id,
        provider: &plan.provider,
        priority: r.priority.as_deref(),
        opened: format_instant(d.opened.secs(), disp),
        clock_start: format_instant(d.clock_start.secs(), disp),
        target: r.target.to_string(),
        target_seconds: r.target_seconds.map(slacalc::WorkSpan::secs),
        clock: r.clock.as_str(),
        deadline: d.deadline.map(|t| format_instant(t.secs(), disp)),
        commitment: r.commitment.as_str(),
        assumed: r.assumed,
        assumptions: &r.assumptions,
    }
}

/// `--explain` steps as views. A worked piece's `date` is the date its
/// `from` shows (in the display zone); `calendar_date` is the working day of
/// the calendar it belongs to. Holidays and whole weeks are dates of the
/// calendar.
pub(super) fn explain_view(steps: &[Step], disp: Display) -> Vec<StepView> {
    let t = |s: i64| format_instant(s, disp);
    steps
        .iter()
        .map(|s| match s {
            Step::Worked { date, span, total } => StepView::Worked {
                date: shown_date(span.start, disp).unwrap_or(*date).to_string(),
                calendar_date: date.to_string(),
                from: t(span.start),
                to: t(span.end),
                seconds: span.duration(),
                total_seconds: *total,
            },
            Step::Weeks { from, to, worked, total } => StepView::Weeks {
                from_date: from.to_string(),
                to_date: to.to_string(),
                seconds: *worked,
                total_seconds: *total,
            },
            Step::Holiday { date, name } => StepView::Holiday { date: date.to_string(), name: name.clone() },
            Step::Paused { span } => {
                StepView::Paused { from: t(span.start), to: t(span.end), seconds: span.duration() }
            }
        })
        .collect()
}

/// Wraps an answer with its `--explain` steps and rules when asked: the
/// rules' facts are computed only then.
pub(super) fn explained<T>(
    answer: T,
    explain: bool,
    steps: &[Step],
    r: &Resolved,
    d: &DeadlineAnswer,
    disp: Display,
) -> Explained<T> {
    if !explain {
        return Explained { answer, explain: None, rules: None };
    }
    let rules = explain_rules(&slacalc::sla::explanation(r, d), d.opened.secs(), d.clock_start.secs(), disp);
    Explained { answer, explain: Some(explain_view(steps, disp)), rules: Some(rules) }
}

/// Renders an [`Explained`] answer: the record, then (in a table) the
/// `--explain` table below it.
pub(super) fn render_explained<T: serde::Serialize>(
    format: Format,
    v: &Explained<T>,
    steps: &[Step],
    disp: Display,
    cal: &Calendar,
) -> String {
    let mut text = render::record_of(format, v, &EXPLAIN_FIELDS);
    if let (Some(rules), Format::Table) = (&v.rules, format) {
        text.push_str(&explain_table(steps, rules, disp, cal));
    }
    text
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

/// Time of day only (`14:30`, `14:30Z` in UTC), for window rows.
fn hm(t: i64, disp: Display) -> String {
    let Some(local) = local_time(t, disp) else { return String::new() };
    let fmt = if t % 60 == 0 { "%H:%M" } else { "%H:%M:%S" };
    match disp {
        Display::Utc => format!("{}Z", local.format(fmt)),
        Display::Zone(_) => local.format(fmt).to_string(),
    }
}

/// Weekday and date only (`Fri 2026-11-20`), for pause rows.
fn day_label(t: i64, disp: Display) -> String {
    local_time(t, disp).map_or_else(String::new, |l| l.format("%a %Y-%m-%d").to_string())
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

/// Sentences that word the facts of an explanation, for `--explain`: how
/// the clock started (at `clock_start` for a ticket `opened` then), what the
/// target means, and where the deadline falls.
fn explain_rules(e: &Explanation, opened: i64, clock_start: i64, disp: Display) -> Vec<String> {
    let (start, business_days, target_seconds, deadline, due_at_window_end) = match e {
        Explanation::NoCommitment => return vec!["no service level on this plan: no target, no deadline".into()],
        Explanation::BestEffort => {
            return vec!["best effort: the vendor commits to no response time, so there is no deadline".into()];
        }
        Explanation::Committed { start, business_days, target_seconds, deadline, due_at_window_end } => {
            (start, business_days, target_seconds, deadline, due_at_window_end)
        }
    };
    let mut v = Vec::new();
    if *start == ClockStart::Always {
        v.push("24x7 clock: every real second counts, nights, weekends and holidays included".into());
    }
    v.push(match start {
        ClockStart::Always => format!("opened {}: the clock starts at once", wall(opened, disp)),
        ClockStart::OutsideHours => {
            format!("opened outside working hours ({}): clock starts {}", wall(opened, disp), wall(clock_start, disp))
        }
        ClockStart::InsideHours => {
            format!("opened inside working hours ({}): the clock starts at once", wall(opened, disp))
        }
    });
    if let Some((n, day)) = business_days {
        v.push(format!(
            "{n}bd = {n} × {} business day = {} of working time",
            format_duration(day.secs()),
            format_duration(target_seconds.secs())
        ));
    }
    if let Some(due) = deadline.map(slacalc::Timestamp::secs) {
        if *due_at_window_end {
            v.push(format!(
                "target used up exactly at a window's end: due {}, not at the next opening",
                wall(due, disp)
            ));
        }
        v.push(format!(
            "deadline: {} = {} of working time after the clock started",
            wall(due, disp),
            format_duration(target_seconds.secs())
        ));
    }
    v
}

/// `--explain` as a table: one row per window, holiday, pause or block of
/// whole weeks, with the running total; then the rules applied. A window's
/// date is the date its times show in the display zone (as the deadline line
/// does); holidays and whole weeks are dates of the calendar `cal`, whose
/// zone is named when it is not the display zone.
pub(super) fn explain_table(steps: &[Step], rules: &[String], disp: Display, cal: &Calendar) -> String {
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
                    day_label(span.start, disp),
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
    let day = |t: i64| local_time(t, disp).map(|l| l.date());
    if day(start) == day(end) { hm(end, disp) } else { wall(end, disp) }
}
