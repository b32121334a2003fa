//! Profiles (SPEC §9): per-plan priority maps, the `"*"` catch-all, strict
//! value maps whose errors name the map and the profile, `[values.event]`
//! `"ignore"`, the built-in profiles and `slacalc profiles`, and profile
//! errors at their file, line and column. Expected answers computed by hand
//! (apizee: Mon–Fri 09–12, 14–18 Paris; biings: Mon–Fri 08–17 Zurich).

use crate::util::{NOW, rows, slacalc, temp_file};

/// A Freshdesk-like profile: companies onto plans, Low/Medium/High/Urgent
/// onto gold's three levels and biings-cloud's four.
const FRESHDESK: &str = r#"
[columns]
id = "Ticket ID"
opened = "Created time"
priority = "Priority"
plan = "Company Name"

[values.plan]
Globex = "gold"
Umbrella = "cloud"
Initech = "apizee-silver"

# For every plan without its own map.
[values.priority]
Medium = "p2"

[values.priority.gold]
Low = "minor"
Medium = "moderate"
High = "major"
Urgent = "major"

[values.priority.biings-cloud]
Low = "limited"
Medium = "moderate"
High = "serious"
Urgent = "down"
"#;

const FRESHDESK_EXPORT: &str = "Ticket ID,Created time,Priority,Company Name\n\
    T1,2026-11-23 09:00,Low,Globex\n\
    T2,2026-11-23 09:00,Low,Umbrella\n\
    T3,2026-11-23 09:00,Urgent,Umbrella\n\
    T4,2026-11-23 09:00,Urgent,Globex\n\
    T5,2026-11-23 09:00,Medium,Initech\n\
    T6,2026-11-23 09:00,Low,Wayne\n\
    T7,2026-11-23 09:00,Critical,Globex\n";

#[test]
fn per_plan_priority_maps_beat_the_global_map() {
    let (_d, p) = temp_file("fd.toml", FRESHDESK);
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW]).stdin(FRESHDESK_EXPORT).run();
    let out = rows(r.ok());
    let brief = |i: usize| (out[i][1].as_str(), out[i][2].as_str(), out[i][5].as_str(), out[i][7].as_str());
    // Low on gold → minor (16 h): Mon 7 h, Tue 7 h, Wed 09–11.
    assert_eq!(brief(1), ("apizee-gold", "minor", "2026-11-25T11:00:00+01:00", "running"));
    // Low on biings-cloud → limited (2 bd = 18 h): Mon 8 h, Tue 9 h, Wed 08–09.
    assert_eq!(brief(2), ("biings-cloud", "limited", "2026-11-25T09:00:00+01:00", "running"));
    // Urgent on biings-cloud → down (1 h): due 10:00, breached at noon.
    assert_eq!(brief(3), ("biings-cloud", "down", "2026-11-23T10:00:00+01:00", "breached"));
    // Urgent on gold → major (4 h): Mon 09–12 and 14–15; 3 h used at noon.
    assert_eq!(brief(4), ("apizee-gold", "major", "2026-11-23T15:00:00+01:00", "at-risk"));
    // A plan without its own map takes the global one: Medium → p2 = moderate (16 h).
    assert_eq!(brief(5), ("apizee-silver", "moderate", "2026-11-25T11:00:00+01:00", "running"));
    // Not in the maps: row errors naming the column, the map and the profile.
    assert_eq!(
        out[6][10],
        "Company Name \"Wayne\" is not in [values.plan] of fd.toml (add it there, or a \"*\" entry for every other value)"
    );
    assert!(
        out[7][10]
            .starts_with("Priority \"Critical\" is not in [values.priority.gold] or [values.priority] of fd.toml"),
        "{:?}",
        out[7]
    );
    assert!(r.stderr.contains("7 rows: 1 breached, 1 at risk, 0 missed, 2 errors"), "{}", r.stderr);
}

#[test]
fn a_per_plan_map_naming_an_unknown_plan_is_refused() {
    let (_d, p) = temp_file("fd.toml", "[values.priority.gld]\nLow = \"minor\"\n");
    let path = p.to_string_lossy().to_string();
    slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW])
        .stdin("id,plan,priority,opened\n")
        .run()
        .bad(&["[values.priority.gld] of fd.toml", "unknown plan \"gld\"", "apizee-gold"]);
}

#[test]
fn a_catch_all_maps_every_other_value_and_empty_cells_take_the_default() {
    let profile = r#"
[values.plan]
Globex = "gold"
"*" = ""
[values.priority]
urgent = "p1"
"*" = "p2"
"#;
    let (_d, p) = temp_file("catch.toml", profile);
    let path = p.to_string_lossy().to_string();
    let input = "id,plan,priority,opened\n\
                 1,Wayne,whatever,2026-11-23 09:00\n\
                 2,Globex,,2026-11-23 09:00\n\
                 3,,urgent,2026-11-23 09:00\n";
    let r =
        slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW, "--plan", "cloud", "--priority", "p4"])
            .stdin(input)
            .run();
    let out = rows(r.ok());
    // Wayne → "" → --plan cloud; whatever → "*" → p2 = serious (4 h): 09:00 → 13:00.
    assert_eq!(
        (&out[1][1][..], &out[1][2][..], &out[1][5][..]),
        ("biings-cloud", "serious", "2026-11-23T13:00:00+01:00")
    );
    // An empty priority cell is not mapped: it takes --priority p4, which
    // gold (three levels) does not have: an error naming its levels.
    assert!(out[2][10].contains("unknown priority \"p4\" for plan apizee-gold"), "{:?}", out[2]);
    // An empty plan cell takes --plan; urgent → p1 = down (1 h).
    assert_eq!((&out[3][1][..], &out[3][2][..], &out[3][5][..]), ("biings-cloud", "down", "2026-11-23T10:00:00+01:00"));
    // "*" = "*" keeps the value as it is.
    let (_d2, p2) = temp_file("keep.toml", "[values.plan]\nGlobex = \"gold\"\n\"*\" = \"*\"\n");
    let path2 = p2.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--profile", &path2, "--input", "-", "--now", NOW])
        .stdin("id,plan,priority,opened\n1,silver,major,2026-11-23 09:00\n2,Globex,major,2026-11-23 09:00\n")
        .run();
    let out = rows(r.ok());
    assert_eq!((&out[1][1][..], &out[2][1][..]), ("apizee-silver", "apizee-gold"));
    // Mapped to "" with no default: the row says how to fix it.
    let r = slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW])
        .stdin("id,plan,priority,opened\n1,Wayne,urgent,2026-11-23 09:00\n")
        .run();
    assert!(
        rows(r.ok())[1][10]
            .starts_with("plan \"Wayne\" is mapped to no plan by [values.plan] of catch.toml (give --plan"),
        "{}",
        r.stdout
    );
}

#[test]
fn unknown_names_without_a_profile_point_at_the_value_maps() {
    let input = "id,plan,priority,opened\n1,gold,High,2026-11-23 09:00\n2,Globex,major,2026-11-23 09:00\n";
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--priority", "p2"]).stdin(input).run();
    let out = rows(r.ok());
    assert_eq!(
        out[1][10],
        "unknown priority \"High\" for plan apizee-gold (expected one of: major, moderate, minor, p1, p2, p3); map it with [values.priority] in a --profile (--priority gives only empty cells)"
    );
    assert!(out[2][10].ends_with("; map yours with [values.plan] in a --profile"), "{:?}", out[2]);
}

#[test]
fn replay_skips_ignored_events_and_counts_them() {
    let profile = r#"
[values.event]
"Ticket created" = "created"
Reply = "reply"
"Private note" = "ignore"
"#;
    let (_d, p) = temp_file("ev.toml", profile);
    let path = p.to_string_lossy().to_string();
    let events = "id,at,event,value,plan,priority\n\
        T1,2026-11-23T09:00:00+01:00,Ticket created,,gold,major\n\
        T1,2026-11-23T09:10:00+01:00,Private note,,,\n\
        T1,2026-11-23T10:00:00+01:00,Reply,agent,,\n\
        T1,2026-11-23T13:00:00+01:00,Private note,,,\n\
        T2,2026-11-23T09:00:00+01:00,Ticket created,,gold,major\n\
        T2,2026-11-23T09:30:00+01:00,Private note,,,\n\
        T3,2026-11-23T09:00:00+01:00,Ticket created,,gold,major\n\
        T3,2026-11-23T09:30:00+01:00,Merged,,,\n";
    let r = slacalc(&["replay", "--profile", &path, "--input", "-", "--now", NOW]).stdin(events).run();
    let out = rows(r.ok());
    // T1: answered after 1 h of 4 h → met; the notes changed nothing.
    assert_eq!((&out[1][0][..], &out[1][11][..], &out[1][14][..]), ("T1", "3600", "met"));
    // T2: 3 h of 4 h used at noon → at-risk.
    assert_eq!((&out[2][0][..], &out[2][14][..]), ("T2", "at-risk"));
    // An event the map does not name is the ticket's error, naming the map.
    assert_eq!(
        out[3][15],
        "line 9: event \"Merged\" is not in [values.event] of ev.toml (add it there, or a \"*\" entry for every other value)"
    );
    // The note after now is left out as every event after now is: two counted.
    assert!(r.stderr.contains("note: 2 events ignored by [values.event]"), "{}", r.stderr);
}

#[test]
fn replay_applies_per_plan_priority_maps_to_the_tickets_plan() {
    let profile = "[values.priority.gold]\nUrgent = \"major\"\n[values.priority.cloud]\nUrgent = \"down\"\n";
    let (_d, p) = temp_file("pp.toml", profile);
    let path = p.to_string_lossy().to_string();
    let events = "id,at,event,value,plan,priority\n\
        A,2026-11-23T09:00:00+01:00,created,,gold,Urgent\n\
        B,2026-11-23T09:00:00+01:00,created,,biings-cloud,Urgent\n";
    let r = slacalc(&["replay", "--profile", &path, "--input", "-", "--now", NOW]).stdin(events).run();
    let out = rows(r.ok());
    assert_eq!((&out[1][2][..], &out[1][7][..]), ("major", "4h"));
    assert_eq!((&out[2][2][..], &out[2][7][..], &out[2][14][..]), ("down", "1h", "breached"));
}

#[test]
fn built_in_profiles_are_listed_and_shown_and_load_from_a_copy() {
    let r = slacalc(&["profiles", "list", "--format", "json"]).run();
    let v = r.json();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["freshdesk", "jira", "zendesk"]);
    for p in v.as_array().unwrap() {
        assert!(p["source"].as_str().unwrap().contains("https://"), "{p}");
        assert!(!p["product"].as_str().unwrap().is_empty(), "{p}");
    }
    let csv = slacalc(&["profiles", "list", "--format", "csv"]).run();
    assert!(csv.ok().starts_with("name,product,source\n"), "{}", csv.stdout);
    for name in ["zendesk", "jira", "freshdesk"] {
        let shown = slacalc(&["profiles", "show", name]).run();
        let text = shown.ok().to_string();
        assert_eq!(text, std::fs::read_to_string(format!("profiles/{name}.toml")).unwrap());
        // The printed file is a valid profile as it is.
        let (_d, p) = temp_file(&format!("my-{name}.toml"), &text);
        let path = p.to_string_lossy().to_string();
        let r = slacalc(&["batch", "--profile", &path, "--plan", "cloud", "--input", "-", "--now", NOW])
            .stdin("nothing\n")
            .run();
        // It loads: the error is about the input's header, not the profile.
        r.bad(&["batch input has no"]);
        assert!(!r.stderr.contains("invalid --profile"), "{name}: {}", r.stderr);
    }
    slacalc(&["profiles", "show", "zendsk"]).run().bad(&["zendesk"]);
}

#[test]
fn the_zendesk_profile_reads_a_zendesk_export() {
    let export = "\u{feff}Id,Requester,Created at,Priority,Organization,Solved at,First reply time in minutes\r\n\
                  4801,Ann,2026-11-20 17:30:00 +0100,Urgent,Globex,,\r\n\
                  4802,Bob,2026-11-23 09:00:00 +0100,,,,\r\n";
    let r = slacalc(&[
        "batch",
        "--profile",
        "zendesk",
        "--plan",
        "cloud",
        "--priority",
        "p2",
        "--input",
        "-",
        "--now",
        NOW,
    ])
    .stdin(export)
    .run();
    let out = rows(r.ok());
    // Globex is not listed: "*" = "" → --plan cloud; Urgent → p1 = down (1 h):
    // Fri 17:30 is after hours in Zurich, so the clock starts Mon 08:00 → 09:00.
    assert_eq!(
        (&out[1][1][..], &out[1][2][..], &out[1][5][..], &out[1][7][..]),
        ("biings-cloud", "down", "2026-11-23T09:00:00+01:00", "breached")
    );
    // No priority: --priority p2 = serious (4 h): 09:00 → 13:00.
    assert_eq!((&out[2][2][..], &out[2][5][..]), ("serious", "2026-11-23T13:00:00+01:00"));
    // A misspelt built-in name suggests the closest.
    slacalc(&["batch", "--profile", "zendsk", "--input", "-", "--now", NOW])
        .stdin(export)
        .run()
        .bad(&["unknown built-in profile \"zendsk\" (did you mean \"zendesk\"?)", "freshdesk, jira, zendesk"]);
}

#[test]
fn a_misspelt_profile_key_names_file_line_column_and_the_closest() {
    let (_d, p) = temp_file("typo.toml", "[columns]\nid = \"Id\"\nopend = \"Created at\"\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW]).stdin("Id\n").run();
    r.bad(&["typo.toml:3:1: unknown field \"opend\" in [columns]", "did you mean \"opened\"?"]);
    let (_d, p) = temp_file("typo2.toml", "name = \"x\"\n\ntime_fromat = \"%d\"\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW]).stdin("Id\n").run();
    r.bad(&["typo2.toml:3:1: unknown field \"time_fromat\"", "did you mean \"time_format\"?"]);
    let (_d, p) = temp_file("typo3.toml", "[values.priorty]\nLow = \"p3\"\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--profile", &path, "--input", "-", "--now", NOW]).stdin("Id\n").run();
    r.bad(&["typo3.toml:1:9: unknown field \"priorty\" in [values]", "did you mean \"priority\"?"]);
}
