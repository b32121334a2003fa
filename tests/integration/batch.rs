//! `slacalc batch` (issue 4): row in = row out, input quirks (CRLF, BOM,
//! quoted fields, blank lines, missing optional and extra columns), `--strict`,
//! stdin, JSON Lines, determinism, and the same answers as `status`.

use crate::util::{NOW, batch, json_lines, slacalc, temp_file};

fn csv_rows(out: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(out.as_bytes());
    r.records().map(|x| x.expect("valid CSV output")).collect()
}

fn header(out: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(out.as_bytes());
    r.headers().expect("header").iter().map(str::to_string).collect()
}

#[test]
fn answers_match_the_single_commands() {
    let input = "id,plan,priority,opened,responded\n\
                 A,gold,major,2026-11-20 17:30,\n\
                 B,cirrus-paying,,2026-11-20T10:00:00+01:00,2026-11-23T09:30:00+01:00\n\
                 C,otter-basic,high,2026-11-20 10:00,\n";
    let r = batch(input, &[]);
    let out = r.ok();
    let rows = csv_rows(out);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        header(out),
        [
            "id",
            "plan",
            "priority",
            "metric",
            "opened",
            "deadline",
            "responded",
            "state",
            "elapsed_seconds",
            "remaining_seconds",
            "error"
        ]
    );
    // A: due Mon 14:30; at Mon 12:00 it has used 30 min + 3 h = 3h30m of 4 h → at-risk (87.5 %).
    assert_eq!(&rows[0][1], "apizee-gold");
    assert_eq!(&rows[0][5], "2026-11-23T14:30:00+01:00");
    assert_eq!(&rows[0][7], "at-risk");
    assert_eq!(&rows[0][8], "12600");
    assert_eq!(&rows[0][9], "1800");
    // B: 2 bd from Fri 10:00 → Tue 10:00; responded Mon 09:30 → met, 8h + 30m elapsed.
    assert_eq!(&rows[1][5], "2026-11-24T10:00:00+01:00");
    assert_eq!(&rows[1][7], "met");
    assert_eq!(&rows[1][8], "30600");
    // C: best effort → no deadline, no-commitment, no remaining.
    assert_eq!(&rows[2][5], "");
    assert_eq!(&rows[2][7], "no-commitment");
    assert_eq!(&rows[2][9], "");
    // The same ticket through `status` gives the same numbers.
    let s = crate::util::json(&[
        "status",
        "--plan",
        "gold",
        "--priority",
        "major",
        "--opened",
        "2026-11-20 17:30",
        "--now",
        NOW,
    ]);
    assert_eq!(s["deadline"], "2026-11-23T14:30:00+01:00");
    assert_eq!(s["elapsed_seconds"], 12600);
    assert_eq!(s["state"], "at-risk");
    assert!(r.stderr.contains("3 rows: 0 breached, 1 at risk, 0 missed, 0 errors"), "{}", r.stderr);
}

#[test]
fn bad_rows_get_their_error_and_the_rest_go_on() {
    let input = "id,plan,priority,opened\n\
                 1,gold,major,2026-11-20 17:30\n\
                 2,gld,major,2026-11-20 17:30\n\
                 3,gold,urgent,2026-11-20 17:30\n\
                 4,gold,major,2026-13-01 10:00\n\
                 5,gold,major,2026-03-29 02:30\n\
                 6,gold,major\n\
                 7,gold,major,2026-11-20 17:30\n";
    let r = batch(input, &[]);
    let rows = csv_rows(r.ok());
    assert_eq!(rows.len(), 7, "row count out == row count in");
    let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap_or("")).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);
    let err = |i: usize| rows[i].get(10).unwrap_or("").to_string();
    assert_eq!(err(0), "");
    assert!(err(1).contains("unknown plan \"gld\""), "{}", err(1));
    assert!(err(2).contains("unknown priority \"urgent\""), "{}", err(2));
    assert!(err(3).contains("2026-13-01"), "{}", err(3));
    assert!(err(4).contains("does not exist"), "{}", err(4));
    assert!(err(5).contains("opened"), "{}", err(5));
    assert_eq!(err(6), "");
    // An error row keeps what the input said.
    assert_eq!(&rows[1][1], "gld");
    assert!(r.stderr.contains("7 rows:") && r.stderr.contains("5 errors"), "{}", r.stderr);
}

#[test]
fn crlf_bom_quotes_blank_lines_and_extra_columns() {
    let input = "\u{feff}id,customer,plan,priority,opened,note\r\n\
                 \"T,1\",\"ACME, Inc.\",gold,major,2026-11-20 17:30,\"said \"\"hi\"\"\"\r\n\
                 \r\n\
                 T2,Beta,cloud,down,2026-11-23 08:30,\r\n";
    let out = batch(input, &[]);
    let text = out.ok();
    let h = header(text);
    assert_eq!(&h[11..], ["customer", "note"], "extra columns follow, in input order");
    let rows = csv_rows(text);
    assert_eq!(rows.len(), 2, "a blank line is not a row");
    assert_eq!(&rows[0][0], "T,1");
    assert_eq!(&rows[0][11], "ACME, Inc.");
    assert_eq!(&rows[0][12], "said \"hi\"");
    assert_eq!(&rows[0][5], "2026-11-23T14:30:00+01:00");
    // Biings down: 1 h on the Zurich calendar from 08:30.
    assert_eq!(&rows[1][5], "2026-11-23T09:30:00+01:00");
}

#[test]
fn responded_column_is_optional_and_columns_may_come_in_any_order() {
    let input = "opened,priority,plan,id\n2026-11-20 17:30,major,gold,X\n";
    let rows = csv_rows(batch(input, &[]).ok().to_string().as_str());
    assert_eq!(&rows[0][0], "X");
    assert_eq!(&rows[0][6], "", "no responded column → empty");
    assert_eq!(&rows[0][5], "2026-11-23T14:30:00+01:00");
}

#[test]
fn missing_required_column_is_bad_input() {
    let r = batch("id,plan,opened\n1,gold,2026-11-20 17:30\n", &[]);
    r.bad(&["no \"priority\" column", "id,plan,priority,opened"]);
}

#[test]
fn strict_stops_at_the_first_bad_row_with_its_line() {
    let input =
        "id,plan,priority,opened\n1,gold,major,2026-11-20 17:30\n2,gold,major,nope\n3,gold,major,2026-11-20 17:30\n";
    let r = batch(input, &["--strict"]);
    r.bad(&["line 3", "nope"]);
    let ok = batch("id,plan,priority,opened\n1,gold,major,2026-11-20 17:30\n", &["--strict"]);
    assert_eq!(csv_rows(ok.ok()).len(), 1);
}

#[test]
fn json_lines_parse_and_carry_nulls() {
    let input = "id,plan,priority,opened,responded,team\n1,gold,major,2026-11-20 17:30,,blue\n2,nope,,x,,red\n";
    let r = batch(input, &["--format", "json"]);
    let lines: Vec<serde_json::Value> =
        r.ok().lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["deadline"], "2026-11-23T14:30:00+01:00");
    assert_eq!(lines[0]["responded"], serde_json::Value::Null);
    assert_eq!(lines[0]["error"], serde_json::Value::Null);
    assert_eq!(lines[0]["team"], "blue");
    assert_eq!(lines[1]["state"], serde_json::Value::Null);
    assert!(lines[1]["error"].as_str().is_some_and(|e| e.contains("unknown plan")));
    let keys: Vec<&String> = lines[0].as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys.first().map(|k| k.as_str()), Some("id"));
    assert_eq!(keys.last().map(|k| k.as_str()), Some("team"));
}

#[test]
fn utc_and_tz_change_printed_times_and_input_zone() {
    let input = "id,plan,priority,opened\n1,gold,major,2026-11-20T16:30:00Z\n";
    let rows = csv_rows(batch(input, &["--utc"]).ok().to_string().as_str());
    assert_eq!(&rows[0][5], "2026-11-23T13:30:00Z");
    // --input-tz: local input read in New York; --tz: output in New York.
    let input = "id,plan,priority,opened\n1,gold,major,2026-11-20 11:30\n";
    let rows = csv_rows(
        batch(input, &["--input-tz", "America/New_York", "--tz", "America/New_York"]).ok().to_string().as_str(),
    );
    assert_eq!(&rows[0][4], "2026-11-20T11:30:00-05:00");
    assert_eq!(&rows[0][5], "2026-11-23T08:30:00-05:00");
    // --tz alone only prints: 11:30 is read in the plan's zone (Paris),
    // 05:30 in New York; 4 h = 11:30–12:00 and 14:00–17:30 Paris, so due
    // Fri 17:30 Paris = 11:30 New York.
    let rows = csv_rows(batch(input, &["--tz", "America/New_York"]).ok().to_string().as_str());
    assert_eq!(&rows[0][4], "2026-11-20T05:30:00-05:00");
    assert_eq!(&rows[0][5], "2026-11-20T11:30:00-05:00");
}

#[test]
fn same_input_same_output_byte_for_byte_from_file_or_stdin() {
    let input = "id,plan,priority,opened,responded\n1,gold,major,2026-11-20 17:30,\n2,cloud,limited,2026-10-23 16:00,2026-10-27 09:00\n3,premium,critical,2026-03-29 01:30,\n";
    let (_dir, path) = temp_file("t.csv", input);
    let p = path.to_string_lossy().to_string();
    let a = slacalc(&["batch", "--input", &p, "--now", NOW]).run();
    let b = slacalc(&["batch", "--input", &p, "--now", NOW]).run();
    let c = batch(input, &[]);
    assert_eq!(a.ok(), b.ok());
    assert_eq!(a.ok(), c.ok());
}

#[test]
fn input_that_is_a_directory_or_missing_is_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_string_lossy().to_string();
    slacalc(&["batch", "--input", &d, "--now", NOW]).run().bad(&["is a directory"]);
    slacalc(&["batch", "--input", "/nonexistent/tickets.csv", "--now", NOW]).run().bad(&["/nonexistent/tickets.csv"]);
}

fn json_rows(out: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    json_lines(out)
}

/// The keys of one JSON Lines row, in order, duplicates kept (a map would
/// keep only the last).
fn raw_keys(line: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::de::Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut m: A) -> Result<Self::Value, A::Error> {
            while let Some((k, _)) = m.next_entry::<String, serde::de::IgnoredAny>()? {
                self.0.push(k);
            }
            Ok(self.0)
        }
    }
    let mut de = serde_json::Deserializer::from_str(line);
    serde::Deserializer::deserialize_map(&mut de, Keys(Vec::new())).expect("a JSON object")
}

#[test]
fn h18_duplicate_column_names_are_renamed_in_csv_and_json() {
    let input = "id,plan,priority,opened,note,note,note_2,Note\nA,gold,major,2026-11-20 17:30,x,y,z,w\n";
    let r = batch(input, &["--format", "json"]);
    let out = r.ok();
    let keys = raw_keys(out.lines().next().unwrap());
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "duplicate keys: {keys:?}");
    // The first keeps its name; the later ones get the next free suffix (the
    // input's own note_2 keeps its name).
    assert_eq!(&keys[11..], ["note", "note_3", "note_2", "Note_4"]);
    let row = &json_rows(out)[0];
    assert_eq!(
        (&row["note"], &row["note_3"], &row["note_2"], &row["Note_4"]),
        (&"x".into(), &"y".into(), &"z".into(), &"w".into())
    );
    // One note on stderr names them.
    // (and one that there is no responded column: SPEC §9)
    assert_eq!(r.stderr.matches("note: input columns").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("note:").count(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("\"note\" as \"note_3\"") && r.stderr.contains("\"Note\" as \"Note_4\""), "{}", r.stderr);
    // CSV: the same names, the same values.
    let csv = batch(input, &[]);
    let out = csv.ok();
    assert_eq!(&header(out)[11..], ["note", "note_3", "note_2", "Note_4"]);
    assert_eq!(&csv_rows(out)[0].iter().skip(11).collect::<Vec<_>>(), &["x", "y", "z", "w"]);
}

#[test]
fn h19_a_column_named_like_a_mapped_field_is_passed_through_and_noted() {
    let input = "Ticket ID,id,plan,priority,opened,opened\nA,internal-7,gold,major,2026-11-20 17:30,2026-01-01\n";
    let r = batch(input, &["--columns", "id=\"Ticket ID\"", "--format", "json"]);
    let row = &json_rows(r.ok())[0];
    assert_eq!(row["id"], "A");
    assert_eq!(row["id_2"], "internal-7", "{row:?}");
    // A second "opened" column is not read: passed through too.
    assert_eq!(row["opened_2"], "2026-01-01", "{row:?}");
    // (and one that there is no responded column: SPEC §9)
    assert_eq!(r.stderr.matches("note: input columns").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("note:").count(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("\"id\" as \"id_2\" (id is read from \"Ticket ID\")"), "{}", r.stderr);
    assert!(r.stderr.contains("\"opened\" as \"opened_2\""), "{}", r.stderr);
    let csv = batch(input, &["--columns", "id=\"Ticket ID\""]);
    assert_eq!(&header(csv.ok())[11..], ["id_2", "opened_2"]);
}

#[test]
fn missing_columns_are_named_in_one_message_with_the_line_to_paste() {
    // new-user finding 21: a Zendesk-like header lacks three fields.
    let input = "Ticket ID,Created at,Priority,Subject\n1,2026-11-20 17:30,major,x\n";
    let r = batch(input, &[]);
    let e = r.bad(&["no \"id\", \"plan\" or \"opened\" column", "got: ticket id,created at,priority,subject"]);
    assert!(e.contains("--columns 'id=\"Ticket ID\",plan=\"COLUMN\",opened=\"Created at\"'"), "{e}");
    assert!(e.contains("--plan PLAN"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    // The pasted line (with a plan for every row) works.
    let r = batch(input, &["--columns", "id=\"Ticket ID\",opened=\"Created at\"", "--plan", "gold"]);
    assert_eq!(csv_rows(r.ok()).len(), 1);
    // A column named by --columns that is not there is named with the rest,
    // and the line to paste keeps what was given.
    let r = batch(input, &["--columns", "id=Key"]);
    let e = r.bad(&["no \"Key\" column for id", "no \"plan\" or \"opened\" column"]);
    assert!(e.contains("--columns 'id=\"Ticket ID\",plan=\"COLUMN\",opened=\"Created at\"'"), "{e}");
}

#[test]
fn h28_an_empty_input_says_so() {
    batch("", &[]).bad(&["batch input is empty", "id,plan,priority,opened"]);
    batch("\n", &[]).bad(&["batch input is empty"]);
}
