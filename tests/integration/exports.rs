//! Reading helpdesk exports as they come: column mapping (`--columns`,
//! `--profile` with value maps), `--plan`/`--priority` defaults, the time
//! forms exports use, `--time-format`, `--delimiter`; for `batch` and
//! `replay`, and through `report`. Expected answers computed by hand.

use crate::util::{NOW, rows, slacalc, temp_file};

#[test]
fn a_zendesk_export_goes_through_batch_with_only_its_profile() {
    let r = slacalc(&[
        "batch",
        "--profile",
        "examples/profiles/zendesk-tickets.toml",
        "--input",
        "examples/exports/zendesk-tickets.csv",
        "--now",
        NOW,
    ])
    .run();
    let out = rows(r.ok());
    // The mapped columns become slacalc's; the rest pass through, and so
    // does Organization, whose values [values.plan] maps (report --by it).
    assert_eq!(
        out[0].join(","),
        "id,plan,priority,metric,opened,deadline,responded,state,elapsed_seconds,remaining_seconds,error,Requester,Subject,Status,Organization,Updated at,Tags"
    );
    // 4801: Globex → apizee-gold, Urgent → p1 = major (4 h); opened Fri 17:30
    // (offset after a space, "+0100"): 0.5 h Fri + 3 h Mon → due Mon 14:30;
    // at Mon 12:00, 3.5 h of 4 h used → at-risk.
    assert_eq!(
        &out[1][..10],
        [
            "4801",
            "apizee-gold",
            "major",
            "first_response",
            "2026-11-20T17:30:00+01:00",
            "2026-11-23T14:30:00+01:00",
            "",
            "at-risk",
            "12600",
            "1800"
        ]
    );
    // 4803: Umbrella Health → biings-cloud, High → p1 = down (1 h); opened
    // Mon 08:30 → due 09:30, breached at 12:00.
    assert_eq!((out[3][1].as_str(), out[3][2].as_str(), out[3][7].as_str()), ("biings-cloud", "down", "breached"));
    // A quoted subject with quotes passes through whole.
    assert_eq!(out[3][12], "Cannot print \"report\"");
    // An organisation the profile does not map: a row error naming it, the
    // map and the profile.
    assert!(
        out[5][10].starts_with("Organization \"Unknown Ltd\" is not in [values.plan] of zendesk-tickets.toml"),
        "{:?}",
        out[5]
    );
}

#[test]
fn a_jira_export_goes_through_batch_and_report_with_only_its_profile() {
    let r = slacalc(&[
        "batch",
        "--profile",
        "examples/profiles/jira-issues.toml",
        "--input",
        "examples/exports/jira-issues.csv",
        "--now",
        NOW,
    ])
    .run();
    let text = r.ok().to_string();
    let out = rows(&text);
    // CS-101: Highest → down (1 h) on biings-cloud; "23/Nov/26 8:15 AM" in
    // the profile's Europe/Paris; the calendar opens 08:00 Zurich (same
    // offset), so due 09:15, breached at 12:00.
    assert_eq!(
        &out[1][..8],
        [
            "CS-101",
            "biings-cloud",
            "down",
            "first_response",
            "2026-11-23T08:15:00+01:00",
            "2026-11-23T09:15:00+01:00",
            "",
            "breached"
        ]
    );
    // OP-7: On-prem Support → biings-onprem, Low → limited (3 bd = 27 h);
    // opened Thu 19 Nov 13:00: Thu 4 h, Fri 9 h, Mon 9 h, Tue 5 h → Tue 13:00.
    assert_eq!(
        (out[3][1].as_str(), out[3][2].as_str(), out[3][5].as_str()),
        ("biings-onprem", "limited", "2026-11-24T13:00:00+01:00")
    );
    // And on to report: 4 cycles, one breached, no error.
    let r = slacalc(&["report", "--input", "-", "--by", "plan", "--format", "json"]).stdin(text).run();
    let v = r.json();
    let cloud = &v["groups"][0];
    assert_eq!(
        (cloud["plan"].as_str(), cloud["cycles"].as_u64(), cloud["breached"].as_u64()),
        (Some("biings-cloud"), Some(3), Some(1))
    );
}

#[test]
fn columns_and_defaults_without_a_profile() {
    // No plan column: --plan gives it; no priority column: --priority.
    let input = "Ticket ID,Created at\nA-1,2026-11-20T16:30:00+0000\n";
    let r = slacalc(&[
        "batch",
        "--input",
        "-",
        "--now",
        NOW,
        "--columns",
        "id=\"Ticket ID\",opened=\"Created at\"",
        "--plan",
        "gold",
        "--priority",
        "major",
    ])
    .stdin(input)
    .run();
    let out = rows(r.ok());
    // 16:30Z = 17:30 Paris (an offset without a colon): due Mon 14:30.
    assert_eq!(
        &out[1][..6],
        ["A-1", "apizee-gold", "major", "first_response", "2026-11-20T17:30:00+01:00", "2026-11-23T14:30:00+01:00"]
    );
    // A column named by --columns that the header lacks names both.
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--columns", "id=Key"]).stdin(input).run();
    r.bad(&["\"Key\" column for id", "--columns"]);
    // An unknown field, a default plan that does not exist.
    slacalc(&["batch", "--input", "-", "--now", NOW, "--columns", "colour=Red"])
        .stdin(input)
        .run()
        .bad(&["unknown field \"colour\""]);
    slacalc(&[
        "batch",
        "--input",
        "-",
        "--now",
        NOW,
        "--plan",
        "gld",
        "--columns",
        "id=\"Ticket ID\",opened=\"Created at\"",
    ])
    .stdin(input)
    .run()
    .bad(&["unknown plan \"gld\""]);
}

#[test]
fn time_formats_of_exports() {
    let run = |opened: &str, extra: &[&str]| {
        let input = format!("id,plan,priority,opened\n1,gold,major,{opened}\n");
        let mut a = vec!["batch", "--input", "-", "--now", NOW];
        a.extend_from_slice(extra);
        let r = slacalc(&a).stdin(input).run();
        rows(r.ok())[1][4].clone()
    };
    // All the same instant, Fri 2026-11-20 17:30 Paris = 16:30Z.
    let want = "2026-11-20T17:30:00+01:00";
    assert_eq!(run("2026-11-20T16:30:00+0000", &[]), want);
    assert_eq!(run("2026-11-20 11:30:00 -0500", &[]), want);
    assert_eq!(run("\"20/Nov/26 5:30 PM\"", &["--time-format", "%d/%b/%y %I:%M %p"]), want);
    assert_eq!(run("11/20/2026 17:30", &["--time-format", "%m/%d/%Y %H:%M"]), want);
    assert_eq!(run("1795192200", &["--time-format", "unix"]), want);
    // A pattern that does not match names it.
    let input = "id,plan,priority,opened\n1,gold,major,20.11.2026\n";
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--time-format", "%m/%d/%Y %H:%M"]).stdin(input).run();
    assert!(rows(r.ok())[1][10].contains("%m/%d/%Y %H:%M"), "{}", r.stdout);
    slacalc(&["batch", "--input", "-", "--now", NOW, "--time-format", "dd/mm"])
        .stdin(input)
        .run()
        .bad(&["--time-format", "strftime"]);
}

#[test]
fn semicolons_and_tabs() {
    let semi = "id;plan;priority;opened\n1;gold;major;2026-11-20 17:30\n";
    let r = slacalc(&["batch", "--input", "-", "--now", NOW]).stdin(semi).run();
    r.bad(&["--delimiter ';'"]);
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--delimiter", ";"]).stdin(semi).run();
    assert_eq!(rows(r.ok())[1][5], "2026-11-23T14:30:00+01:00");
    let tabs = semi.replace(';', "\t");
    slacalc(&["batch", "--input", "-", "--now", NOW]).stdin(tabs.clone()).run().bad(&["--delimiter tab"]);
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--delimiter", "tab"]).stdin(tabs).run();
    assert_eq!(rows(r.ok())[1][5], "2026-11-23T14:30:00+01:00");
    slacalc(&["batch", "--input", "-", "--now", NOW, "--delimiter", ";;"]).stdin(semi).run().bad(&["--delimiter"]);
}

#[test]
fn a_bad_profile_names_its_file_line_and_column() {
    let (_d, p) = temp_file("p.toml", "[columns]\nid = \"Id\"\ncolour = 3\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--profile", &path]).stdin("Id\n").run();
    r.bad(&["--profile", "columns.colour"]);
    let (_d, p) = temp_file("p.toml", "[columns]\nid = \"Id\"\n\nbogus = 1\n");
    let path = p.to_string_lossy().to_string();
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--profile", &path]).stdin("Id\n").run();
    r.bad(&["p.toml:", "bogus"]);
}

#[test]
fn replay_reads_an_export_through_a_profile() {
    // A helpdesk's event export with its own names: "Ticket", "When",
    // "What", "Detail"; statuses and authors in its words.
    let profile = r#"
time_format = "%d/%m/%Y %H:%M"
[columns]
id = "Ticket"
at = "When"
event = "What"
value = "Detail"
[values.event]
opened = "created"
"public reply" = "reply"
"status changed" = "status"
[values.author]
"support agent" = "agent"
requester = "customer"
[values.status]
"awaiting customer" = "waiting"
done = "solved"
"#;
    let (_d, p) = temp_file("helpdesk.toml", profile);
    let path = p.to_string_lossy().to_string();
    // gold major (4 h first response), opened Fri 20/11 17:30 Paris; the
    // agent answers Mon 23/11 10:00: 0.5 h Fri + 1 h Mon = 1.5 h → met.
    let events = "Ticket,When,What,Detail\n\
                  Z-1,20/11/2026 17:30,Opened,\n\
                  Z-1,23/11/2026 10:00,Public reply,Support agent\n\
                  Z-1,23/11/2026 10:05,Status changed,Awaiting customer\n";
    let r =
        slacalc(&["replay", "--input", "-", "--now", NOW, "--plan", "gold", "--priority", "major", "--profile", &path])
            .stdin(events)
            .run();
    let out = rows(r.ok());
    assert_eq!(out[0][3], "metric");
    assert_eq!(
        (out[1][0].as_str(), out[1][3].as_str(), out[1][14].as_str()),
        ("Z-1", "first_response", "met"),
        "{out:?}"
    );
    assert_eq!(out[1][11], "5400");
}
