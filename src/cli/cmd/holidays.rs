//! `slacalc holidays list | show SET [--from YEAR] [--to YEAR]`.

use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use slacalc::engine::WalkError;
use slacalc::engine::holiday::{YEARS, dates_in};
use slacalc::plan::validate;
use slacalc::text::cut;
use slacalc::{Error, loader, world};

use crate::cli::args::HolidaysCommand;
use crate::cli::ctx::{Ctx, Output};
use crate::cli::format::Format;
use crate::cli::render;

/// Most years one `holidays show` prints.
const MAX_YEARS: i32 = 200;

/// Runs `holidays …`.
pub(crate) fn run(ctx: &Ctx, c: &HolidaysCommand, format: Format) -> Result<Output> {
    let text = match c {
        HolidaysCommand::List => list(ctx, format)?,
        HolidaysCommand::Show { set, from, to } => show(ctx, format, set, *from, *to)?,
    };
    Ok(Output { text, code: 0 })
}

/// One line of `holidays list`.
#[derive(Debug, Serialize)]
struct SetRow {
    id: String,
    name: String,
    /// `checked` (law-checked, shipped), `generated` (from python-holidays)
    /// or `user` (a file given with --plans).
    tier: &'static str,
    /// The first year the set has data for; none: from 1583 on.
    from: Option<i32>,
    /// The last year the set has data for; none: every year.
    horizon: Option<i32>,
}

fn list(ctx: &Ctx, format: Format) -> Result<String> {
    let sources = loader::all_sources(&ctx.plan_paths)?;
    let mut rows: std::collections::BTreeMap<String, SetRow> = world::all()
        .map(|w| {
            let row = SetRow {
                id: w.id.into(),
                name: w.name.into(),
                tier: "generated",
                from: w.data_from,
                horizon: w.horizon,
            };
            (w.id.to_string(), row)
        })
        .collect();
    // The shipped files, then the user's: a later definition wins.
    for src in &sources {
        let Ok(doc) = src.text.parse::<toml::Table>() else { continue };
        let Some(sets) = doc.get("holiday_sets").and_then(toml::Value::as_table) else { continue };
        let tier = if src.name.starts_with("embedded:") { "checked" } else { "user" };
        for (id, set) in sets {
            let name = set.get("name").and_then(toml::Value::as_str).unwrap_or_default();
            let year = |k: &str| set.get(k).and_then(toml::Value::as_integer).and_then(|y| i32::try_from(y).ok());
            let (from, horizon) = (year("data_from"), year("horizon"));
            let row = SetRow { id: cut(id, 40).into_owned(), name: cut(name, 80).into_owned(), tier, from, horizon };
            rows.insert(id.to_lowercase(), row);
        }
    }
    let rows: Vec<SetRow> = rows.into_values().collect();
    Ok(match format {
        Format::Table => {
            let mut t = render::table();
            t.set_header(vec!["set", "name", "tier", "from", "horizon"]);
            let year = |y: Option<i32>| y.map_or_else(|| "none".to_string(), |y| y.to_string());
            for r in &rows {
                t.add_row(vec![r.id.clone(), r.name.clone(), r.tier.to_string(), year(r.from), year(r.horizon)]);
            }
            let checked = rows.iter().filter(|r| r.tier == "checked").count();
            format!(
                "{}{} sets ({checked} checked against the law, {} generated from python-holidays). \
                 Days: slacalc holidays show SET.\n",
                render::show(&mut t),
                rows.len(),
                rows.iter().filter(|r| r.tier == "generated").count()
            )
        }
        f => render::rows_of(f, &rows),
    })
}

/// One day of `holidays show`.
#[derive(Debug, Serialize)]
struct DayRow {
    date: String,
    name: String,
}

/// `holidays show --format json`.
#[derive(Debug, Serialize)]
struct ShowView {
    set: String,
    holidays: Vec<DayRow>,
}

fn show(ctx: &Ctx, format: Format, id: &str, from: Option<i32>, to: Option<i32>) -> Result<String> {
    let this_year = || -> Result<i32> {
        let zone = ctx.tz.unwrap_or(chrono_tz::UTC);
        let now = ctx.now(zone)?;
        let date = chrono::DateTime::from_timestamp(now, 0).map(|t| t.with_timezone(&zone).date_naive());
        date.map(|d| d.year()).ok_or_else(|| anyhow!(Error::Input("--now is out of range".into())))
    };
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, f),
        (None, Some(t)) => (t, t),
        (None, None) => {
            let y = this_year()?;
            (y, y)
        }
    };
    for (flag, y) in [("--from", from), ("--to", to)] {
        if !YEARS.contains(&y) {
            return Err(anyhow!(Error::invalid(
                flag,
                y.to_string(),
                format!("a year from {} to {}", YEARS.start(), YEARS.end()),
            )));
        }
    }
    if from > to {
        return Err(anyhow!(Error::Input(format!("--from {from} is after --to {to}: give the earlier year first"))));
    }
    if to - from >= MAX_YEARS {
        return Err(anyhow!(Error::Input(format!(
            "--from {from} --to {to} is {} years: at most {MAX_YEARS} per run",
            to - from + 1
        ))));
    }
    let sources = loader::all_sources(&ctx.plan_paths)?;
    let Some(info) = validate::holiday_set(&sources, id).map_err(Error::from)? else {
        let ids: Vec<&str> = world::all().map(|w| w.id).chain(["france"]).collect();
        let close = slacalc::error::suggest(id, ids.iter().copied());
        let hint = slacalc::error::did_you_mean(&close);
        return Err(anyhow!(Error::Input(format!(
            "unknown holiday set \"{}\"{hint} (expected an id such as pl, de-by or us-ca: see slacalc holidays list)",
            cut(id, 40)
        ))));
    };
    let set = info.id.to_lowercase();
    if let Some(d) = info.data_from.filter(|&d| from < d) {
        return Err(anyhow!(Error::from(WalkError::BeforeData { set, from: d, year: from })));
    }
    if let Some(h) = info.horizon.filter(|&h| to > h) {
        return Err(anyhow!(Error::from(WalkError::PastHorizon { set, horizon: h, year: (h + 1).max(from) })));
    }
    let mut days: Vec<(NaiveDate, usize, String)> = Vec::new();
    for y in from..=to {
        for (d, i) in dates_in(&info.holidays, y) {
            if let Some(h) = info.holidays.get(i) {
                days.push((d, i, h.name.clone()));
            }
        }
    }
    days.sort();
    days.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    let rows: Vec<DayRow> = days.into_iter().map(|(d, _, name)| DayRow { date: d.to_string(), name }).collect();
    Ok(match format {
        Format::Json => render::record_of(Format::Json, &ShowView { set, holidays: rows }, &[]),
        Format::Csv => render::rows_of(Format::Csv, &rows),
        Format::Table => {
            let mut t = render::table();
            t.set_header(vec!["date", "day", "holiday"]);
            for r in &rows {
                let wd = NaiveDate::parse_from_str(&r.date, "%Y-%m-%d").map(|d| d.format("%a").to_string());
                t.add_row(vec![r.date.clone(), wd.unwrap_or_default(), r.name.clone()]);
            }
            let tier = if world::is_world_source(&info.file) {
                "generated from python-holidays"
            } else if info.file.starts_with("embedded:") {
                "checked against the law"
            } else {
                "from your file"
            };
            let known = match (info.data_from, info.horizon) {
                (Some(d), Some(h)) => format!(", known {d}–{h}"),
                (Some(d), None) => format!(", known from {d}"),
                (None, Some(h)) => format!(", horizon {h}"),
                (None, None) => String::new(),
            };
            let years = if from == to { from.to_string() } else { format!("{from}–{to}") };
            format!("{}{} holidays of {set} in {years} ({tier}{known}).\n", render::show(&mut t), rows.len(),)
        }
    })
}
