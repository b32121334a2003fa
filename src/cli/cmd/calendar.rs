//! `slacalc calendar`: the plan calendar's working windows, week by week, so
//! an agent sees at a glance when the vendor is open. Every fact comes from
//! the engine ([`Calendar::day_kind`], [`Calendar::windows_on`],
//! [`Calendar::segments_on`], [`Calendar::resolve`], [`Calendar::offset_at`]);
//! this file only lays them out.

use anyhow::{Result, bail};
use chrono::{Datelike, Days, NaiveDate};
use slacalc::engine::{Calendar, DayKind, Segment, Window, YearCursor, format_duration};
use slacalc::instant::{Display, format_instant, parse_date};
use slacalc::plan::{Clock, Plan};

use crate::cli::args::CalendarArgs;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::{CalendarFormat, Format};
use crate::cli::render::hours_summary;
use crate::cli::render::{self, Tone, tinted};
use crate::cli::view::{CalendarView, DayView, WindowView, Windows};

/// Most weeks one run shows: ten years.
pub(crate) const MAX_WEEKS: u32 = 520;

/// One local date of the calendar, as the engine sees it.
struct Day {
    date: NaiveDate,
    /// Wall-clock windows that apply (empty when closed).
    windows: Vec<Window>,
    /// The same windows as UTC spans, by the engine's DST policy.
    segments: Vec<Segment>,
    holiday: Option<String>,
    overridden: bool,
    /// UTC offsets (seconds) before and after a change during this date.
    dst: Option<(i64, i64)>,
}

impl Day {
    fn working_seconds(&self) -> i64 {
        self.segments.iter().map(Segment::duration).sum()
    }
}

/// Runs `calendar`.
pub(crate) fn run(ctx: &Ctx, a: &CalendarArgs, format: CalendarFormat) -> Result<Output> {
    let plans = ctx.plans()?;
    let plan = plans.get(&a.plan)?;
    let cal = &*plan.calendar.calendar;
    let zone = cal.tz();
    if a.weeks == 0 {
        bail!("invalid --weeks 0: expected 1 to {MAX_WEEKS}");
    }
    if a.weeks > MAX_WEEKS {
        bail!("--weeks {} is too many: at most {MAX_WEEKS} (ten years) per run; show later weeks with --from", a.weeks);
    }
    let today = || -> Result<NaiveDate> {
        let now = ctx.now(zone)?;
        cal.local_date(slacalc::Timestamp::from_secs(now)).ok_or_else(|| anyhow::anyhow!("--now is out of range"))
    };
    let from = match a.from.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("today") => today()?,
        Some(s) => parse_date(s).map_err(|e| anyhow::anyhow!(e).context("invalid --from"))?,
        None => {
            let d = today()?;
            d - Days::new(u64::from(d.weekday().num_days_from_monday()))
        }
    };
    let days = u64::from(a.weeks) * 7;
    let last = from
        .checked_add_days(Days::new(days - 1))
        .filter(|d| d.year() <= 9999)
        .ok_or_else(|| anyhow::anyhow!("--from {from} + {} weeks goes past the year 9999", a.weeks))?;
    cal.covers(from.year(), last.year()).map_err(slacalc::Error::from)?;
    let mut cache = YearCursor::new();
    let list: Vec<Day> = from.iter_days().take_while(|d| *d <= last).map(|d| day(cal, d, &mut cache)).collect();
    let disp = ctx.display(zone);
    let Some(layout) = format.layout() else {
        return Ok(Output { text: ics(plan, &list, ctx.now(zone)?)?, code: 0 });
    };
    let text = match layout {
        Format::Json => render::record_of(Format::Json, &calendar_view(plan, &list, disp), &[]),
        Format::Csv => render::rows_of(Format::Csv, &list.iter().map(|d| day_view(d, disp, true)).collect::<Vec<_>>()),
        Format::Table => table(plan, &list, disp, cal),
    };
    Ok(Output { text, code: 0 })
}

/// `--format ics`: each holiday as a named all-day event, each working
/// window as a timed event (UTC), on the date it starts (an overnight window
/// ends the next morning).
fn ics(plan: &Plan, days: &[Day], now: i64) -> Result<String> {
    use slacalc::ics::IcsEvent;
    let cal = &plan.calendar.calendar;
    let id = cal.id();
    let mut events = Vec::new();
    for d in days {
        if let Some(name) = &d.holiday {
            events.push(IcsEvent::AllDay {
                uid: format!("{}-holiday-{id}@slacalc", d.date),
                date: d.date,
                summary: name.clone(),
                description: Some(format!("holiday on calendar {id} of plan {}: closed", plan.id)),
            });
        }
        for (i, (s, w)) in d.segments.iter().zip(&d.windows).enumerate() {
            events.push(IcsEvent::Timed {
                uid: format!("{}-{i}-open-{id}@slacalc", d.date),
                start: s.start,
                end: s.end,
                summary: format!("{} open", plan.provider),
                description: Some(format!(
                    "working hours {w} ({}) on {} {}, calendar {id} of plan {}",
                    cal.tz().name(),
                    weekday(d.date),
                    d.date,
                    plan.id
                )),
            });
        }
    }
    let name = format!("{} · calendar {id}", plan.id);
    Ok(slacalc::ics::write(&name, &events, now)?)
}

/// What the engine says about `date`.
fn day(cal: &Calendar, date: NaiveDate, cache: &mut YearCursor) -> Day {
    let (holiday, overridden) = match cal.day_kind(date, cache) {
        DayKind::Regular => (None, false),
        DayKind::Holiday(name) => (Some(name.to_string()), false),
        DayKind::Override(_) => (None, true),
    };
    let windows = cal.windows_on(date, cache).to_vec();
    let mut segments = Vec::new();
    cal.segments_on(date, cache, &mut segments);
    Day { date, windows, segments, holiday, overridden, dst: offset_change(cal, date) }
}

/// The zone's offsets before and after `date` when they differ: a DST change
/// (or any other change of the zone's offset) happens during that local date.
fn offset_change(cal: &Calendar, date: NaiveDate) -> Option<(i64, i64)> {
    let next = date.succ_opt()?;
    // Just before each midnight: a change at 00:00 belongs to the day it starts.
    let before = cal.offset_at(cal.midnight(date) - 1);
    let after = cal.offset_at(cal.midnight(next) - 1);
    (before != after).then_some((before, after))
}

/// `+01:00`, `-05:00`, `+00:09:21` (seconds only for old local mean times).
fn offset(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 { format!("{sign}{h:02}:{m:02}") } else { format!("{sign}{h:02}:{m:02}:{s:02}") }
}

/// `+01:00 → +02:00`.
fn dst_text((before, after): (i64, i64)) -> String {
    format!("{} → {}", offset(before), offset(after))
}

fn dst_sentence(change: (i64, i64)) -> String {
    let way = if change.1 > change.0 { "forward" } else { "back" };
    format!("clocks go {way}: {}", dst_text(change))
}

/// Lowercase weekday, as plan files spell it.
fn weekday(date: NaiveDate) -> &'static str {
    slacalc::engine::calendar::WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// One day as a view (the `days` entries). For CSV, `flat` joins the
/// windows into one `from/to; from/to` field.
fn day_view(d: &Day, disp: Display, flat: bool) -> DayView {
    let t = |s: i64| format_instant(s, disp);
    let windows = if flat {
        Windows::Flat(d.segments.iter().map(|s| format!("{}/{}", t(s.start), t(s.end))).collect::<Vec<_>>().join("; "))
    } else {
        Windows::Spans(d.segments.iter().map(|s| WindowView { from: t(s.start), to: t(s.end) }).collect())
    };
    DayView {
        date: d.date.to_string(),
        weekday: weekday(d.date),
        windows,
        holiday: d.holiday.clone(),
        overridden: d.overridden,
        working_seconds: d.working_seconds(),
        dst_change: d.dst.map(dst_text),
    }
}

fn zone_name(disp: Display) -> &'static str {
    match disp {
        Display::Utc => "UTC",
        Display::Zone(z) => z.name(),
    }
}

fn calendar_view<'a>(plan: &'a Plan, days: &[Day], disp: Display) -> CalendarView<'a> {
    let cal = &plan.calendar.calendar;
    CalendarView {
        plan: &plan.id,
        provider: &plan.provider,
        calendar: cal.id(),
        zone: cal.tz().name(),
        display_zone: zone_name(disp),
        from: days.first().map(|d| d.date.to_string()),
        to: days.last().map(|d| d.date.to_string()),
        working_seconds: days.iter().map(Day::working_seconds).sum(),
        assumptions: plan.calendar.assumptions(),
        days: days.iter().map(|d| day_view(d, disp, false)).collect(),
    }
}

/// Wall-clock `HH:MM` of instant `t` in the display zone, with `(+1d)` /
/// `(-1d)` when that is not `date` there (a window shown in a far zone).
fn clock(t: i64, date: NaiveDate, disp: Display, is_end: bool) -> String {
    let local = match disp {
        Display::Utc => chrono::DateTime::from_timestamp(t, 0).map(|d| d.naive_utc()),
        Display::Zone(z) => slacalc::engine::zone::wall_clock(z, t),
    };
    let Some(local) = local else { return t.to_string() };
    let (mut d, mut hm) = (local.date(), local.format("%H:%M").to_string());
    if is_end && hm == "00:00" {
        // The end of a window that runs to midnight reads 24:00.
        if let Some(p) = d.pred_opt() {
            (d, hm) = (p, "24:00".into());
        }
    }
    match (d - date).num_days() {
        0 => hm,
        n => format!("{hm} ({n:+}d)"),
    }
}

/// True when windows print as the vendor wrote them: display zone = calendar zone.
fn same_zone(cal: &Calendar, disp: Display) -> bool {
    matches!(disp, Display::Zone(z) if z == cal.tz())
}

/// The `open` cell: the day's windows.
fn windows_text(cal: &Calendar, d: &Day, disp: Display) -> String {
    if d.segments.is_empty() {
        return "closed".into();
    }
    let list: Vec<String> = if same_zone(cal, disp) && d.dst.is_none() {
        d.windows.iter().map(|w| w.to_string()).collect()
    } else {
        d.segments
            .iter()
            .map(|s| format!("{}-{}", clock(s.start, d.date, disp, false), clock(s.end, d.date, disp, true)))
            .collect()
    };
    list.join(", ")
}

/// The `notes` cell and its tone: holiday, override, breaks, DST.
fn notes(cal: &Calendar, d: &Day, disp: Display) -> (Vec<String>, Tone) {
    let mut v = Vec::new();
    let mut tone = Tone::Plain;
    if let Some(h) = &d.holiday {
        v.push(format!("holiday: {h}"));
        tone = Tone::Bad;
    }
    if d.overridden {
        v.push(if d.windows.is_empty() { "override: closed".into() } else { "override: special hours".into() });
        tone = Tone::Warn;
    }
    for pair in d.windows.windows(2) {
        let (a, b) = (pair[0].end, pair[1].start);
        if b > a {
            let (from, to) = (cal.resolve(d.date, a), cal.resolve(d.date, b));
            v.push(format!("break {}-{}", clock(from, d.date, disp, false), clock(to, d.date, disp, true)));
        }
    }
    // An overnight window belongs to this date and ends on the next one.
    if let (Some(w), Some(next)) = (d.windows.iter().find(|w| w.is_overnight()), d.date.succ_opt()) {
        let end = cal.resolve(next, w.tail());
        v.push(format!("overnight: until {} {}", next.format("%a"), clock(end, next, disp, true)));
    }
    if let Some(c) = d.dst {
        v.push(dst_sentence(c));
        if tone == Tone::Plain {
            tone = Tone::Note;
        }
    }
    (v, tone)
}

fn table(plan: &Plan, days: &[Day], disp: Display, cal: &Calendar) -> String {
    let info = &plan.calendar;
    let mut head = vec![format!("{} · {} · calendar {} ({})", plan.id, plan.provider, cal.id(), cal.tz().name())];
    head.push(format!("hours: {}", hours_summary(cal)));
    let holidays = if info.holiday_sets.is_empty() {
        "none".to_string()
    } else {
        format!("{} ({} rules)", info.holiday_sets.join(", "), cal.holidays().len())
    };
    head.push(format!("business day: {} · holidays: {holidays}", format_duration(cal.business_day().secs())));
    let assumed: Vec<&str> = [("time zone", &info.zone), ("working hours", &info.hours), ("holidays", &info.holidays)]
        .into_iter()
        .filter(|(_, p)| p.is_assumed())
        .map(|(what, _)| what)
        .collect();
    if !assumed.is_empty() {
        head.push(format!("assumed, not published by the vendor: {}", assumed.join(", ")));
    }
    if !same_zone(cal, disp) {
        head.push(format!("days are {} dates; times are shown in {}", cal.tz().name(), zone_name(disp)));
    }
    let always: Vec<&str> =
        plan.priorities.iter().filter(|p| p.clock == Clock::Always).map(|p| p.name.as_str()).collect();
    if !always.is_empty() {
        let verb = if always.len() == 1 { "runs" } else { "run" };
        head.push(format!("{} {verb} on a 24x7 clock, not on this calendar", always.join(", ")));
    }
    for (i, other) in plan.calendars.iter().enumerate() {
        let on: Vec<&str> =
            plan.priorities.iter().filter(|p| p.clock == Clock::Named(i)).map(|p| p.name.as_str()).collect();
        if !on.is_empty() {
            let verb = if on.len() == 1 { "runs" } else { "run" };
            head.push(format!(
                "{} {verb} on calendar {} ({}), not on this one",
                on.join(", "),
                other.calendar.id(),
                hours_summary(&other.calendar)
            ));
        }
    }
    let mut out: String = head.iter().map(|l| render::wrap(l, 2)).collect();
    for week in days.chunks(7) {
        let (Some(first), Some(last)) = (week.first(), week.last()) else { continue };
        let open: i64 = week.iter().map(Day::working_seconds).sum();
        let label = if first.date.weekday() == chrono::Weekday::Mon {
            format!(" (week {})", first.date.iso_week().week())
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\n{} {} – {} {}{label}: {} open\n",
            first.date.format("%a"),
            first.date,
            last.date.format("%a"),
            last.date,
            if open == 0 { "nothing".to_string() } else { format_duration(open) }
        ));
        let mut t = render::table();
        t.set_header(vec!["day".to_string(), format!("open ({})", zone_name(disp)), "hours".into(), "notes".into()]);
        for d in week {
            let (note, tone) = notes(cal, d, disp);
            let work = d.working_seconds();
            let open_tone = match (work, tone) {
                (0, Tone::Bad | Tone::Warn) => tone,
                (0, _) => Tone::Dim,
                (_, Tone::Warn) => Tone::Warn,
                _ => Tone::Good,
            };
            t.add_row(vec![
                tinted(format!("{} {}", d.date.format("%a"), d.date), if work == 0 { Tone::Dim } else { Tone::Plain }),
                tinted(windows_text(cal, d, disp), open_tone),
                tinted(if work == 0 { "—".to_string() } else { format_duration(work) }, Tone::Plain),
                tinted(note.join("\n"), tone),
            ]);
        }
        out.push_str(&render::show(&mut t));
    }
    out
}
