//! Holidays for the world (SPEC §7): every generated set against
//! python-holidays 2000–2050 (through the library: the fixture is written by
//! `scripts/gen-world-holidays.py`), sets compared by hand with the law, a
//! plan on a generated set, horizons and first years (`data_from`), and
//! `holidays list | show`, through the binary.

use std::collections::BTreeSet;
use std::io::Read as _;

use chrono::{Datelike, NaiveDate};
use slacalc::internal::engine::holiday::dates_in;
use slacalc::internal::plan::validate;

use crate::util::{json, slacalc, temp_file};

/// The fixture: (set id, horizon, python-holidays' dates 2000–2050).
fn fixture() -> Vec<(String, Option<i32>, Vec<NaiveDate>)> {
    let gz = include_bytes!("../fixtures/world-holidays-2000-2050.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text).expect("the fixture is gzip'd text");
    let start = NaiveDate::from_ymd_opt(1999, 12, 31).expect("date");
    text.lines()
        .map(|line| {
            let mut parts = line.split(' ');
            let id = parts.next().expect("id").to_string();
            let horizon = parts.next().and_then(|h| h.parse().ok());
            let mut d = start;
            let dates = parts
                .filter(|n| !n.is_empty())
                .map(|n| {
                    d = d + chrono::Days::new(n.parse().expect("a day count"));
                    d
                })
                .collect();
            (id, horizon, dates)
        })
        .collect()
}

/// Differences from python-holidays kept on purpose, by set: none. Every
/// date python-holidays gives from 2000 up to a set's horizon (2050 at
/// most) is a date of the set and the reverse; after the horizon the set
/// refuses to answer (see `a_walk_past_the_horizon_is_an_error`).
const KEPT_DIFFERENCES: &[(&str, &str, &str)] = &[];

#[test]
fn every_generated_set_matches_python_holidays_2000_2050() {
    let fx = fixture();
    assert!(fx.len() > 900, "{} sets", fx.len());
    let mut failures = Vec::new();
    for (id, horizon, want) in &fx {
        let info = validate::holiday_set(&[], id).expect("the generated set validates").expect("a generated set");
        assert!(slacalc::internal::world::is_world_source(&info.file), "{id}: {}", info.file);
        assert_eq!(info.horizon, *horizon, "{id}: horizon");
        // Compared from 2000 on only: the set refuses earlier years.
        assert_eq!(info.data_from, Some(2000), "{id}: data_from");
        let last = horizon.unwrap_or(2050).min(2050);
        let got: BTreeSet<NaiveDate> =
            (2000..=last).flat_map(|y| dates_in(&info.holidays, y)).map(|(d, _)| d).collect();
        let want: BTreeSet<NaiveDate> = want.iter().copied().filter(|d| d.year() <= last).collect();
        let kept = |d: &NaiveDate| KEPT_DIFFERENCES.iter().any(|(s, date, _)| s == id && *date == d.to_string());
        let extra: Vec<_> = got.difference(&want).filter(|d| !kept(d)).take(3).collect();
        let missing: Vec<_> = want.difference(&got).filter(|d| !kept(d)).take(3).collect();
        if !extra.is_empty() || !missing.is_empty() {
            failures.push(format!("{id}: not in python-holidays {extra:?}, missing {missing:?}"));
        }
    }
    assert!(failures.is_empty(), "{} sets differ:\n{}", failures.len(), failures.join("\n"));
}

fn show(set: &str, year: &str) -> Vec<(String, String)> {
    let v = json(&["holidays", "show", set, "--from", year, "--to", year]);
    assert_eq!(v["set"], set);
    v["holidays"]
        .as_array()
        .expect("holidays")
        .iter()
        .map(|h| (h["date"].as_str().expect("date").to_string(), h["name"].as_str().expect("name").to_string()))
        .collect()
}

fn dates(days: &[(String, String)]) -> Vec<&str> {
    days.iter().map(|(d, _)| d.as_str()).collect()
}

#[test]
fn bavaria_2027_by_hand() {
    // Bayerisches Feiertagsgesetz Art. 1: New Year, Epiphany, Good Friday,
    // Easter Monday (Easter 2027: 28 March), 1 May, Ascension (Easter + 39),
    // Whit Monday (+ 50), Corpus Christi (+ 60), 3 October, All Saints',
    // 25 and 26 December. Assumption Day (15 August) is a holiday only in
    // the municipalities with a Catholic majority, so not of the whole Land;
    // Germany has no substitute days.
    let days = show("de-by", "2027");
    assert_eq!(
        dates(&days),
        [
            "2027-01-01",
            "2027-01-06",
            "2027-03-26",
            "2027-03-29",
            "2027-05-01",
            "2027-05-06",
            "2027-05-17",
            "2027-05-27",
            "2027-10-03",
            "2027-11-01",
            "2027-12-25",
            "2027-12-26"
        ]
    );
    assert_eq!(days[0].1, "New Year's Day");
    assert_eq!(days[7].1, "Corpus Christi");
}

#[test]
fn poland_2027_by_hand() {
    // Ustawa o dniach wolnych od pracy (1951) art. 1, as amended: Christmas
    // Eve since 2025. Easter 2027: 28 March; Pentecost Sunday + 49, Corpus
    // Christi + 60. No substitute days (a Saturday holiday gives employees a
    // day off under the Labour Code, not a public holiday).
    let days = show("pl", "2027");
    assert_eq!(
        dates(&days),
        [
            "2027-01-01",
            "2027-01-06",
            "2027-03-28",
            "2027-03-29",
            "2027-05-01",
            "2027-05-03",
            "2027-05-16",
            "2027-05-27",
            "2027-08-15",
            "2027-11-01",
            "2027-11-11",
            "2027-12-24",
            "2027-12-25",
            "2027-12-26"
        ]
    );
    // Before 2025 Christmas Eve was a working day.
    assert!(!dates(&show("pl", "2024")).contains(&"2024-12-24"));
}

#[test]
fn japan_2027_by_hand() {
    // Act on National Holidays (1948, as amended): Coming of Age Day the 2nd
    // Monday of January, Marine Day the 3rd Monday of July, Respect for the
    // Aged Day the 3rd Monday of September, Sports Day the 2nd Monday of
    // October; the equinoxes as the National Astronomical Observatory
    // announces them (21 March and 23 September 2027); a holiday on a Sunday
    // gives the next working day off (art. 3(2)): 22 March 2027.
    let days = show("jp", "2027");
    assert_eq!(
        dates(&days),
        [
            "2027-01-01",
            "2027-01-11",
            "2027-02-11",
            "2027-02-23",
            "2027-03-21",
            "2027-03-22",
            "2027-04-29",
            "2027-05-03",
            "2027-05-04",
            "2027-05-05",
            "2027-07-19",
            "2027-08-11",
            "2027-09-20",
            "2027-09-23",
            "2027-10-11",
            "2027-11-03",
            "2027-11-23"
        ]
    );
}

#[test]
fn observed_days_are_named_so_and_sorted() {
    // US-CA: Independence Day 2027 is a Sunday, observed Monday 5 July.
    let days = show("us-ca", "2027");
    assert!(days.contains(&("2027-07-05".into(), "Independence Day (observed)".into())), "{days:?}");
    let d = dates(&days);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
}

const PLAN: &str = r#"
[calendars.office]
zone = "ZONE"
hours = { mon-fri = ["09:00-17:00"] }
holidays = ["SET"]
assumed = "test"

[[plans]]
id = "world-test"
provider = "t"
calendar = "office"
target = "2h"
target_assumed = "test"
"#;

fn plan(zone: &str, set: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    temp_file("world.toml", &PLAN.replace("ZONE", zone).replace("SET", set))
}

#[test]
fn a_plan_on_a_generated_set() {
    // Poland: Friday 30 April 2027 16:00 + 2 h: 1 h on Friday, then Saturday
    // 1 May, Sunday, Monday 3 May (Constitution Day) are closed: Tuesday 10:00.
    let (_d, p) = plan("Europe/Warsaw", "pl");
    let p = p.to_str().expect("path");
    let v = json(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "2027-04-30 16:00"]);
    assert_eq!(v["deadline"], "2027-05-04T10:00:00+02:00");
    // A generated subdivision whose country has a law-checked set too
    // (us-ca extends the generated us): 2 July 2027 16:00 + 2 h → Tuesday
    // 6 July 10:00 (Monday 5 July is Independence Day observed).
    let (_d2, p2) = plan("America/Los_Angeles", "US-CA");
    let v = json(&[
        "--plans",
        p2.to_str().expect("path"),
        "deadline",
        "--plan",
        "world-test",
        "--opened",
        "2027-07-02 16:00",
    ]);
    assert_eq!(v["deadline"], "2027-07-06T10:00:00-07:00");
    // check accepts it.
    slacalc(&["check", p]).run().ok();
}

#[test]
fn a_walk_past_the_horizon_is_an_error() {
    // in-ka's lunar holidays end with 2035.
    let (_d, p) = plan("Asia/Kolkata", "in-ka");
    let p = p.to_str().expect("path");
    // Within the horizon: Monday 31 December 2035 10:00 + 2 h.
    let v = json(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "2035-12-31 10:00"]);
    assert_eq!(v["deadline"], "2035-12-31T12:00:00+05:30");
    // 16:00 + 2 h needs 2036: an error naming the set and the year, nothing on stdout.
    let r = slacalc(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "2035-12-31 16:00"]).run();
    r.bad(&["in-ka", "2035", "2036"]);
    let r = slacalc(&[
        "--plans",
        p,
        "status",
        "--plan",
        "world-test",
        "--opened",
        "2036-01-02 10:00",
        "--now",
        "2036-01-02T12:00:00+05:30",
    ])
    .run();
    r.bad(&["in-ka", "2036"]);
    let r = slacalc(&["--plans", p, "calendar", "--plan", "world-test", "--from", "2035-12-24", "--weeks", "2"]).run();
    r.bad(&["in-ka", "2036"]);
    slacalc(&["holidays", "show", "in-ka", "--from", "2035", "--to", "2036"]).run().bad(&["in-ka", "2035", "2036"]);
    slacalc(&["holidays", "show", "in-ka", "--from", "2035"]).run().ok();
}

#[test]
fn a_walk_before_the_first_year_is_an_error() {
    // pl's rules were compared with python-holidays from 2000 on only.
    let (_d, p) = plan("Europe/Warsaw", "pl");
    let p = p.to_str().expect("path");
    // Opened Friday 31 December 1999 16:00: an error naming the set and the
    // years, exit 2, nothing on stdout.
    let r = slacalc(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "1999-12-31 16:00"]).run();
    let err = r.bad(&["\"pl\"", "known from 2000 on only", "data_from", "needs 1999"]);
    assert!(!err.contains("2000-01"), "{err}");
    slacalc(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "1990-06-01 10:00"]).run().bad(&[
        "\"pl\"",
        "2000",
        "needs 1990",
    ]);
    // From 1 January 2000 on it answers: Saturday 1 January 2000 10:00 +
    // 2 h → Monday 3 January 11:00.
    let v = json(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "2000-01-01 10:00"]);
    assert_eq!(v["deadline"], "2000-01-03T11:00:00+01:00");
    // status, calendar and holidays show refuse 1999 too.
    let r = slacalc(&[
        "--plans",
        p,
        "status",
        "--plan",
        "world-test",
        "--opened",
        "1999-12-30 10:00",
        "--now",
        "2000-01-04T12:00:00+01:00",
    ])
    .run();
    r.bad(&["\"pl\"", "1999"]);
    let r = slacalc(&["--plans", p, "calendar", "--plan", "world-test", "--from", "1999-12-27", "--weeks", "2"]).run();
    r.bad(&["\"pl\"", "known from 2000", "1999"]);
    slacalc(&["--plans", p, "calendar", "--plan", "world-test", "--from", "2000-01-03", "--weeks", "1"]).run().ok();
    slacalc(&["holidays", "show", "pl", "--from", "1999"]).run().bad(&["\"pl\"", "known from 2000", "needs 1999"]);
    slacalc(&["holidays", "show", "pl", "--from", "1990", "--to", "2001"]).run().bad(&["\"pl\"", "needs 1990"]);
    // A subdivision inherits its country's first year.
    slacalc(&["holidays", "show", "de-by", "--from", "1999"]).run().bad(&["\"de-by\"", "needs 1999"]);
    let days = show("pl", "2000");
    assert_eq!(days.first(), Some(&("2000-01-01".to_string(), "New Year's Day".to_string())), "{days:?}");
    let out = slacalc(&["holidays", "show", "pl", "--from", "2000"]).run();
    assert!(out.ok().contains("(generated from python-holidays, known from 2000)"), "{}", out.stdout);
    let out = slacalc(&["holidays", "show", "in-ka", "--from", "2035"]).run();
    assert!(out.ok().contains("(generated from python-holidays, known 2000–2035)"), "{}", out.stdout);
}

#[test]
fn a_set_of_your_own_without_data_from_holds_in_every_year() {
    // A user set (no data_from) holds from 1583 on: 1990 works, with its
    // holidays. Friday 21 December 1990 16:00 + 2 h: 1 h on Friday, then the
    // weekend, Company Day (Monday 24) and Christmas Day (Tuesday 25) are
    // closed → Wednesday 26 December 10:00.
    let (_d, p) = temp_file(
        "own.toml",
        &PLAN.replace("ZONE", "Europe/Warsaw").replace("SET", "own").replace(
            "[calendars.office]",
            r#"[holiday_sets.own]
assumed = "company calendar"
rules = [{ name = "Christmas Day", date = "12-25" }, { name = "Company Day", date = "12-24" }]

[calendars.office]"#,
        ),
    );
    let p = p.to_str().expect("path");
    let v = json(&["--plans", p, "deadline", "--plan", "world-test", "--opened", "1990-12-21 16:00"]);
    assert_eq!(v["deadline"], "1990-12-26T10:00:00+01:00");
    let days = json(&["--plans", p, "holidays", "show", "own", "--from", "1990"]);
    assert_eq!(days["holidays"][0]["date"], "1990-12-24");
    let v = json(&["--plans", p, "holidays", "list"]);
    let row = v.as_array().expect("rows").iter().find(|r| r["id"] == "own").expect("listed").clone();
    assert_eq!((row["from"].clone(), row["horizon"].clone()), (serde_json::Value::Null, serde_json::Value::Null));
}

#[test]
fn data_from_is_checked_in_plan_files() {
    let set = |keys: &str| {
        temp_file(
            "bad.toml",
            &format!(
                "[holiday_sets.lunar]\nassumed = \"test\"\n{keys}\nrules = [{{ name = \"Day\", date = \"01-02\" }}]\n"
            ),
        )
    };
    // Out of range: the key's own position.
    let (_d, p) = set("data_from = 1200");
    let p = p.to_str().expect("path");
    slacalc(&["check", p]).run().bad(&["bad.toml:3:13", "data_from = 1200 out of range", "1583", "9999"]);
    let (_d, p) = set("horizon = 2030\ndata_from = 10000");
    slacalc(&["check", p.to_str().expect("path")]).run().bad(&["bad.toml:4:13", "data_from = 10000 out of range"]);
    // After the horizon: the set would hold in no year.
    let (_d, p) = set("data_from = 2040\nhorizon = 2030");
    slacalc(&["check", p.to_str().expect("path")])
        .run()
        .bad(&["bad.toml:3:13", "data_from = 2040 is after horizon = 2030"]);
    // A user set extending a generated one keeps the later first year: its own
    // data_from = 1990 does not open pl's years before 2000.
    let (_d, p) = temp_file(
        "ext.toml",
        "[holiday_sets.acme-pl]\nextends = \"pl\"\nassumed = \"test\"\ndata_from = 1990\n\n\
         [holiday_sets.acme-late]\nextends = \"pl\"\nassumed = \"test\"\ndata_from = 2010\n",
    );
    let p = p.to_str().expect("path");
    slacalc(&["check", p]).run().ok();
    slacalc(&["--plans", p, "holidays", "show", "acme-pl", "--from", "1999"])
        .run()
        .bad(&["\"acme-pl\"", "known from 2000"]);
    slacalc(&["--plans", p, "holidays", "show", "acme-late", "--from", "2009"])
        .run()
        .bad(&["\"acme-late\"", "known from 2010"]);
    slacalc(&["--plans", p, "holidays", "show", "acme-late", "--from", "2010"]).run().ok();
}

#[test]
fn holidays_list_shows_tiers_and_horizons() {
    let v = json(&["holidays", "list"]);
    let rows = v.as_array().expect("rows");
    assert!(rows.len() > 900, "{}", rows.len());
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id} listed")).clone();
    // A law-checked set wins over the generated one of its id.
    assert_eq!(row("us")["tier"], "checked");
    assert_eq!(row("ch-zh")["tier"], "checked");
    assert_eq!(row("france")["tier"], "checked");
    assert_eq!(row("pl")["tier"], "generated");
    assert_eq!(row("pl")["horizon"], serde_json::Value::Null);
    assert_eq!(row("in-ka")["horizon"], 2035);
    // Generated sets hold from 2000; law-checked ones in every year.
    assert_eq!(row("pl")["from"], 2000);
    assert_eq!(row("in-ka")["from"], 2000);
    assert_eq!(row("us")["from"], serde_json::Value::Null);
    assert_eq!(row("de-by")["name"], "Germany: Bayern");
    assert_eq!(rows.iter().filter(|r| r["id"] == "us").count(), 1);
    let table = slacalc(&["holidays", "list"]).run();
    let out = table.ok();
    assert!(out.contains("generated") && out.contains("checked"), "{out}");
    let csv = slacalc(&["holidays", "list", "--format", "csv"]).run();
    assert!(csv.ok().starts_with("id,name,tier,from,horizon\n"), "{}", csv.stdout);
    assert!(csv.stdout.contains("\npl,Poland,generated,2000,\n"), "{}", csv.stdout);
}

#[test]
fn holidays_show_refuses_bad_input() {
    slacalc(&["holidays", "show", "xx-nowhere"]).run().bad(&["unknown holiday set \"xx-nowhere\"", "holidays list"]);
    slacalc(&["holidays", "show", "pll"]).run().bad(&["did you mean", "pl"]);
    slacalc(&["holidays", "show", "pl", "--from", "1500"]).run().bad(&["--from", "1500", "1583"]);
    slacalc(&["holidays", "show", "pl", "--from", "2030", "--to", "2020"]).run().bad(&["2030", "2020"]);
    slacalc(&["holidays", "show", "pl", "--format", "ics"]).run().bad(&["ics"]);
    // The default year is the year of now; ids are case-insensitive.
    let v = json(&["--now", "2027-06-01T00:00:00Z", "holidays", "show", "DE-BY"]);
    assert_eq!(v["holidays"][0]["date"], "2027-01-01");
}

#[test]
fn a_set_of_your_own_extends_a_generated_one() {
    // Poland plus a company day; `extends` one level only.
    let (_d, p) = temp_file(
        "acme.toml",
        r#"
[holiday_sets.acme-pl]
extends = "PL"
assumed = "company calendar"
rules = [{ name = "Company Day", date = "2027-06-11" }]

[holiday_sets.acme-deeper]
extends = "acme-pl"
assumed = "test"
"#,
    );
    let p = p.to_str().expect("path");
    let days = json(&["--plans", p, "holidays", "show", "acme-pl", "--from", "2027"]);
    let dates: Vec<&str> =
        days["holidays"].as_array().expect("list").iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.contains(&"2027-05-03") && dates.contains(&"2027-06-11"), "{dates:?}");
    slacalc(&["check", p]).run().bad(&["extends = \"acme-pl\"", "one level only"]);
    let v = json(&["--plans", p, "holidays", "list"]);
    let row = v.as_array().expect("rows").iter().find(|r| r["id"] == "acme-pl").expect("listed").clone();
    assert_eq!(row["tier"], "user");
}
