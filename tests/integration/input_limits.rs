//! Bounded, never silently wrong input (issue 9, SPEC §8): a CSV quote that
//! is never closed is an error naming the line where it opened, records are
//! bounded while reading (a huge row or `/dev/zero` costs the limit, not the
//! row), and batch, `quota --log` and `credit --outages` report the same line
//! for the same row.

use std::time::Duration;

use crate::util::{slacalc, temp_file};

const NOW: &str = "2026-11-22T12:00:00+01:00";

/// Runs `args` with no stdin, killed after 20 s; returns (code, stdout, stderr).
fn bounded(args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("slacalc")
        .expect("binary built")
        .env_remove("SLACALC_PLANS")
        .env_remove("SLACALC_NOW")
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("slacalc runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

// ------------------------------------------------------------------ unclosed quotes

#[test]
fn batch_unclosed_quote_names_its_line() {
    // 100,000 rows; data row k is on line k + 1 (the header is line 1), so
    // row 11, whose `opened` starts with a quote that never closes, opens it
    // on line 12. The quote swallows the rest of the file (several MB, far
    // past the 64 KiB record limit): the error is the quote, not the length.
    let mut text = String::from("id,plan,priority,opened\n");
    for i in 1..=100_000 {
        let q = if i == 11 { "\"" } else { "" };
        text.push_str(&format!("{i},gold,major,{q}2026-11-20 10:00\n"));
    }
    let (_d, path) = temp_file("tickets.csv", &text);
    let p = path.to_str().unwrap();
    let needles = ["line 12: a quoted field opened here is never closed (unterminated \")"];
    slacalc(&["batch", "--input", p, "--now", NOW, "--strict"]).run().bad(&needles);
    // Streaming, the rows before it are written, but the run fails.
    let r = slacalc(&["batch", "--input", p, "--now", NOW]).run();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("--input {p}: {}", needles[0])), "{}", r.stderr);
    assert!(r.stdout.lines().count() <= 11, "{}", r.stdout);
}

#[test]
fn quota_log_unclosed_quote_names_its_line() {
    // 21 rows; the 2nd (line 3) has a ticket note opening a quote.
    let mut log = String::from("opened,hours,kind,ticket\n");
    for day in 1..=21 {
        let ticket = if day == 2 { "\"#4801 (see mail".to_string() } else { format!("#48{day:02}") };
        log.push_str(&format!("2026-11-{day:02} 10:00,1,account,{ticket}\n"));
    }
    let (_d, path) = temp_file("log.csv", &log);
    let p = path.to_str().unwrap();
    slacalc(&["quota", "--now", NOW, "--plan", "otter-basic", "--log", p])
        .run()
        .bad(&[&format!("{p} line 3: a quoted field opened here is never closed")]);
}

#[test]
fn credit_check_unclosed_quote_is_not_a_clean_answer() {
    // Without the broken quote the 48 h outage is a credit due (--check
    // exits 1); swallowed into the note, the answer was "nothing due", exit 0.
    let rows = [
        "start,end,note",
        "2026-03-01 10:00,2026-03-01 11:00,router",
        "2026-03-05 10:00,2026-03-05 11:00,\"#4801 (see mail",
        "2026-04-01 00:00,2026-04-03 00:00,datacenter",
    ];
    let (_d, path) = temp_file("outages.csv", &(rows.join("\n") + "\n"));
    let p = path.to_str().unwrap();
    let args = ["credit", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--period-start", "2026-01-01"];
    let run = |file: &str| {
        let mut a = args.to_vec();
        a.extend(["--outages", file, "--check"]);
        slacalc(&a).run()
    };
    run(p).bad(&[&format!("{p} line 3: a quoted field opened here is never closed")]);
    let fixed = rows.join("\n").replace("\"#4801", "#4801");
    let (_e, good) = temp_file("fixed.csv", &fixed);
    assert_eq!(run(good.to_str().unwrap()).code, 1, "the true answer is a credit due");
}

// ------------------------------------------------------------------ endless and huge records

#[test]
fn dev_zero_ends_at_once_with_a_clear_error() {
    let (code, out, err) = bounded(&["quota", "--now", NOW, "--plan", "otter-basic", "--log", "/dev/zero"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("/dev/zero line 1: the header row is longer than 65536 bytes"), "{err}");
    let (code, out, err) =
        bounded(&["credit", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--outages", "/dev/zero"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("/dev/zero line 1: the header row is longer than 65536 bytes"), "{err}");
    let (code, out, err) = bounded(&["batch", "--now", NOW, "--input", "/dev/zero"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("--input /dev/zero: line 1: the header row is longer than 65536 bytes"), "{err}");
}

/// A batch whose row 1 holds `bytes` of text on one line, then a good row.
fn long_row(bytes: usize) -> Vec<u8> {
    let mut v = b"id,plan,priority,opened,note\n1,gold,major,2026-11-20 10:00,".to_vec();
    v.resize(v.len() + bytes, b'x');
    v.extend_from_slice(b"\n2,gold,major,2026-11-20 10:00,ok\n");
    v
}

#[test]
fn a_huge_batch_row_is_an_error_row_and_the_next_row_goes_on() {
    let r = slacalc(&["batch", "--input", "-", "--now", NOW, "--format", "json"]).stdin(long_row(1 << 20)).run();
    let rows: Vec<serde_json::Value> = r.ok().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2, "{}", r.stdout);
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["error"].as_str()),
        (Some("1"), Some("row is longer than 65536 bytes"))
    );
    assert_eq!(
        (rows[1]["id"].as_str(), rows[1]["note"].as_str(), &rows[1]["error"]),
        (Some("2"), Some("ok"), &serde_json::Value::Null)
    );
    // With --strict, the row is named by its line.
    slacalc(&["batch", "--input", "-", "--now", NOW, "--strict"])
        .stdin(long_row(1 << 20))
        .run()
        .bad(&["--input -: line 2: row is longer than 65536 bytes"]);
}

/// The row is not buffered whole: a 24 MiB row reads in 16 MB of heap
/// (RLIMIT_DATA), where buffering it takes a 32 MiB allocation.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_batch_row_is_not_buffered() {
    let bin = assert_cmd::cargo::cargo_bin("slacalc");
    let out = assert_cmd::Command::new("sh")
        .args(["-c", "ulimit -d 16000 && exec \"$0\" \"$@\""])
        .arg(&bin)
        .args(["batch", "--input", "-", "--now", NOW])
        .env_remove("SLACALC_PLANS")
        .env_remove("SLACALC_NOW")
        .write_stdin(long_row(24 << 20))
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(stdout.contains("row is longer than 65536 bytes"), "{stdout}");
}

#[test]
fn a_huge_log_row_is_an_error_naming_its_line() {
    let mut log = "opened,hours,kind,ticket\n2026-11-02 10:00,1,account,#1\n2026-11-03 10:00,1,account,".to_string();
    log.push_str(&"x".repeat(70 * 1024));
    log.push_str("\n2026-11-04 10:00,1,account,#3\n");
    let (_d, path) = temp_file("log.csv", &log);
    let p = path.to_str().unwrap();
    slacalc(&["quota", "--now", NOW, "--plan", "otter-basic", "--log", p])
        .run()
        .bad(&[&format!("{p} line 3: row is longer than 65536 bytes")]);
}

// ------------------------------------------------------------------ one line count

#[test]
fn batch_quota_and_credit_name_the_same_line() {
    // Row 1 spans lines 2-3 (a quoted note holding a line break); a blank
    // line 4; row 2, with a bad time in every command's column, on line 5.
    let text = "id,plan,priority,opened,start,end,note\n\
        1,gold,major,2026-11-20 10:00,2026-03-01 10:00,2026-03-01 11:00,\"two\nlines\"\n\
        \n\
        2,gold,major,yesterday,yesterday,2026-03-01 11:00,bad\n";
    let (_d, path) = temp_file("export.csv", text);
    let p = path.to_str().unwrap();
    let batch = slacalc(&["batch", "--input", p, "--now", NOW, "--strict"]).run();
    let quota = slacalc(&["quota", "--now", NOW, "--plan", "otter-basic", "--log", p]).run();
    let credit = slacalc(&["credit", "--now", NOW, "--plan", "cloud", "--subscription", "12500", "--outages", p]).run();
    batch.bad(&[&format!("--input {p}: line 5: opened")]);
    quota.bad(&[&format!("{p} line 5: opened")]);
    credit.bad(&[&format!("{p} line 5: start")]);
}

// ------------------------------------------------------------------ FIFOs and devices

#[cfg(unix)]
#[test]
fn a_fifo_reads_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("tickets.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let feed = |text: &'static str| {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
    };
    let p = fifo.to_str().unwrap();
    let writer = feed("id,plan,priority,opened\n1,gold,major,2026-11-20 10:00\n2,gold,major,2026-11-21 10:00\n");
    let r = slacalc(&["batch", "--input", p, "--now", NOW]).run();
    writer.join().unwrap();
    assert_eq!(r.ok().lines().count(), 3, "{}", r.stdout);
    let writer = feed("opened\n2026-11-02 10:00\n2026-11-03 10:00\n");
    let r = slacalc(&["quota", "--now", NOW, "--plan", "otter-basic", "--log", p, "--format", "json"]).run();
    writer.join().unwrap();
    assert_eq!(r.json()["log_rows"], 2, "{}", r.stderr);
}
