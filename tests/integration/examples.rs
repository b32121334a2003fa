//! Everything in `examples/` runs as written, and `docs/json.md` shows what
//! the binary really prints. The scripts call `${SLACALC:-slacalc}`; these
//! tests point SLACALC at the binary under test.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{NOW, json, slacalc};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Output of one script run.
struct Script {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `examples/NAME` with `sh`, in `dir`, SLACALC pointing at the binary
/// and `now` fixed.
fn script(name: &str, args: &[&str], env: &[(&str, &str)], dir: &Path) -> Script {
    let mut c = Command::new("sh");
    c.arg(root().join("examples").join(name))
        .args(args)
        .current_dir(dir)
        .env("SLACALC", env!("CARGO_BIN_EXE_slacalc"))
        .env("SLACALC_NOW", NOW)
        .env("NO_COLOR", "1")
        .env_remove("SLACALC_PLANS")
        .env_remove("COLUMNS");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("sh runs");
    Script {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn ci_script_passes_a_ticket_within_its_sla() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("ci-sla-check.sh", &["gold", "major", "2026-11-20 17:30"], &[], dir.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        "SLA ok: gold major ticket opened 2026-11-20 17:30 is at-risk (deadline 2026-11-23T14:30:00+01:00)\n"
    );
    // The full answer is kept for the pipeline's artifacts.
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("sla-status.json")).unwrap()).unwrap();
    assert_eq!(report["state"], "at-risk");
    assert_eq!(report["remaining_seconds"], 1800);
}

#[test]
fn ci_script_fails_the_pipeline_when_breached_or_missed() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("ci-sla-check.sh", &["premium", "critical", "2026-11-23 07:30"], &[], dir.path());
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("SLA FAILED: premium critical ticket opened 2026-11-23 07:30 is breached"),
        "{}",
        r.stderr
    );
    let r = script(
        "ci-sla-check.sh",
        &["premium", "critical", "2026-11-23 07:30", "2026-11-23 10:00"],
        &[("SLA_REPORT", "missed.json")],
        dir.path(),
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is missed (deadline 2026-11-23T09:30:00+01:00)"), "{}", r.stderr);
    assert!(dir.path().join("missed.json").exists());
    // Responded in time: met.
    let r =
        script("ci-sla-check.sh", &["premium", "critical", "2026-11-23 07:30", "2026-11-23 09:00"], &[], dir.path());
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("is met"), "{}", r.stdout);
}

#[test]
fn ci_script_passes_bad_input_through_as_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("ci-sla-check.sh", &["gold", "urgent", "now"], &[], dir.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown priority \"urgent\""), "{}", r.stderr);
    let r = script("ci-sla-check.sh", &["gold"], &[], dir.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("usage:"), "{}", r.stderr);
}

#[test]
fn cron_script_prints_tomorrows_due_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("due-tomorrow.sh", &[], &[("TOMORROW", "2026-11-24")], dir.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        "\
T-1002   apizee-silver    moderate   due 12:00  running, 7h00m of working time left
T-1007   cirrus-paying               due 14:00  running, 11h00m of working time left
T-1008   cirrus-premium   major      due 10:00  running, 7h00m of working time left
3 ticket(s) due on 2026-11-24 (Europe/Paris).
"
    );
    // batch's summary goes to stderr, with the one bad row of the sample.
    assert!(r.stderr.contains("12 rows: 1 breached, 3 at risk, 0 missed, 1 error ("), "{}", r.stderr);
}

#[test]
fn cron_script_takes_an_export_and_a_zone() {
    let dir = tempfile::tempdir().unwrap();
    let export = root().join("examples/tickets.csv");
    let r = script(
        "due-tomorrow.sh",
        &[export.to_str().unwrap()],
        &[("TOMORROW", "2026-11-25"), ("DUE_TZ", "UTC")],
        dir.path(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "No ticket is due on 2026-11-25 (UTC).\n");
    // Without TOMORROW the script asks date(1); it still runs.
    let r = script("due-tomorrow.sh", &[], &[], dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("due on"), "{}", r.stdout);
}

#[test]
fn account_review_script_uses_the_sample_log_and_outages() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("account-review.sh", &[], &[], dir.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for needle in [
        "== Support hours, subscription year 2026",
        "│ remaining         ┆ 5",
        "== Uptime and credits, 2026",
        "99.343607",
        "68.49",
        "== Is a status page included?\nyes\n",
    ] {
        assert!(r.stdout.contains(needle), "{needle:?} missing:\n{}", r.stdout);
    }
}

#[test]
fn every_example_plan_file_checks() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let mut args = vec!["check".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = slacalc(&args).run();
    r.ok();
}

#[test]
fn sample_exports_run_through_batch_row_for_row() {
    let r = slacalc(&["batch", "--input", "examples/tickets.csv", "--now", NOW, "--format", "json"]).run();
    let lines: Vec<Value> = r.ok().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 12);
    let errors: Vec<&Value> = lines.iter().filter(|l| !l["error"].is_null()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["id"], "T-1012");
    assert_eq!(lines[4]["state"], "breached");
    assert_eq!(lines[10]["state"], "no-commitment");
    assert!(lines.iter().all(|l| l["customer"].is_string()));
}

/// acme-full.toml uses every construct of the plan format.
#[test]
fn acme_full_shows_every_feature_of_the_format() {
    let text = std::fs::read_to_string(root().join("examples/acme-full.toml")).unwrap();
    for construct in [
        "[holiday_sets.",
        "date = \"01-01\"",
        "easter = -2",
        "nth = -1, weekday = \"mon\"",
        "nth = 4, weekday = \"thu\"",
        "date = \"2026-06-12\"",
        "[calendars.",
        "\"08:00-12:00\", \"13:00-17:00\"",
        "overrides = {",
        "= []",
        "business_day = ",
        "zone_source = ",
        "holidays_assumed = ",
        "[features]",
        "aliases = [",
        "clock = \"24x7\"",
        "target = \"1bd\"",
        "target = \"best-effort\"",
        "target = \"none\"",
        "target_source = ",
        "[plans.quota]",
        "rate = { amount",
        "excluded_kinds = ",
        "excluded_kinds_source = ",
        "warn_percent_assumed = ",
        "allowance = \"per-contract\"",
        "allowance = 10",
        "[plans.credit]",
        "threshold_percent = ",
        "cap_percent = ",
        "[[plans.credit.tiers]]",
        "below_inclusive = true",
        "[plans.credit.outage]",
        "commitment = \"none\"",
        "[plans.entitlements]",
        "detail = ",
        "notes = [",
    ] {
        assert!(text.contains(construct), "acme-full.toml lacks {construct:?}");
    }
}

/// The acme plans answer the way their file says.
#[test]
fn acme_full_answers() {
    let p = ["--plans", "examples/acme-full.toml"];
    let with = |rest: &[&str]| {
        let mut a = p.to_vec();
        a.extend_from_slice(rest);
        json(&a)
    };
    // sev3 = 1bd = 8h on a split-day calendar; Thanksgiving and the short
    // Friday after it are skipped or shortened.
    let d = with(&["deadline", "--plan", "acme", "--priority", "normal", "--opened", "2026-11-25 16:00", "--explain"]);
    assert_eq!(d["priority"], "sev3");
    assert_eq!(d["target_seconds"], 8 * 3600);
    assert_eq!(d["assumed"], true);
    // Wed 16-17 (1h), Thu holiday, Fri 09-12 (3h), Mon 08-12 (4h).
    assert_eq!(d["deadline"], "2026-11-30T12:00:00-05:00");
    assert!(d["explain"].as_array().unwrap().iter().any(|s| s["name"] == "Thanksgiving"), "{d}");
    // sev1 runs 24x7.
    let d = with(&["deadline", "--plan", "acme", "--priority", "p1", "--opened", "2026-11-26 23:30"]);
    assert_eq!(d["clock"], "24x7");
    assert_eq!(d["deadline"], "2026-11-27T00:30:00-05:00");
    // sev4 and the community plan: best effort; the partner plan: none.
    assert_eq!(with(&["deadline", "--plan", "acme", "--priority", "low"])["commitment"], "best-effort");
    assert_eq!(with(&["deadline", "--plan", "acme-community"])["commitment"], "best-effort");
    assert_eq!(with(&["deadline", "--plan", "acme-partner"])["commitment"], "none");
    // Hours quota from a rate: 2 h per full USD 1,000.
    let q =
        with(&["quota", "--plan", "acme", "--subscription", "USD 10500", "--used", "15", "--at", "2026-06-01 12:00"]);
    assert_eq!(q["allowance"], 20);
    assert_eq!(q["state"], "warning");
    // Request quota.
    let q = with(&["quota", "--plan", "acme-std", "--used", "10", "--at", "2026-06-01 12:00"]);
    assert_eq!(q["state"], "exhausted");
    // Tiered monthly credit: 99.0 % or less earns 25 %.
    let c = with(&[
        "credit",
        "--plan",
        "acme",
        "--subscription",
        "USD 12000",
        "--period-start",
        "2026-04-01",
        "--outage",
        "2026-04-10T00:00:00Z/2026-04-10T07:12:00Z",
    ]);
    assert_eq!(c["uptime_percent"], 99.0);
    assert_eq!(c["credit_due"], true);
    // Entitlements with detail and provenance both ways.
    let e = with(&["entitlements", "--plan", "acme", "--check", "chat"]);
    assert_eq!(e["included"], true);
    assert_eq!(e["assumed"], true);
}

// ---------------------------------------------------------------- docs/json.md

/// One documented command and the JSON shown under it.
struct DocExample {
    command: String,
    /// Byte range of the JSON block's body in the file.
    body: std::ops::Range<usize>,
    jsonl: bool,
}

fn doc_examples(text: &str) -> Vec<DocExample> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find("```sh\n") {
        let start = pos + i + 6;
        let end = start + text[start..].find("```").expect("closed sh block");
        let command = text[start..end].trim().to_string();
        let rest = &text[end + 3..];
        let skip = rest.len() - rest.trim_start().len();
        let fence_at = end + 3 + skip;
        let jsonl = text[fence_at..].starts_with("```jsonl\n");
        let open = if jsonl { "```jsonl\n" } else { "```json\n" };
        assert!(text[fence_at..].starts_with(open), "docs/json.md: `{command}` has no ```json block after it");
        let body_start = fence_at + open.len();
        let body_end = body_start + text[body_start..].find("```").expect("closed json block");
        out.push(DocExample { command, body: body_start..body_end, jsonl });
        pos = body_end + 3;
    }
    out
}

/// Runs a documented command through `sh`, with the binary under test first in PATH.
fn run_doc_command(command: &str) -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_slacalc"));
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root())
        .env("PATH", path)
        .env_remove("SLACALC_PLANS")
        .env_remove("SLACALC_NOW")
        .output()
        .unwrap();
    // Exit 1 is a `--check` answering "no": the JSON is printed all the same.
    assert!(matches!(out.status.code(), Some(0 | 1)), "`{command}` failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn values(s: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(s).into_iter::<Value>().map(|v| v.expect("valid JSON")).collect()
}

/// Every example in docs/json.md is what the binary prints today. With
/// SLACALC_BLESS_DOCS=1 the examples are rewritten instead.
#[test]
fn docs_json_examples_match_the_binary() {
    let path = root().join("docs/json.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let examples = doc_examples(&text);
    assert!(examples.len() >= 12, "one example per command expected, found {}", examples.len());
    let commands: Vec<&str> = examples.iter().map(|e| e.command.as_str()).collect();
    for cmd in [
        "deadline",
        "status",
        "quota",
        "credit",
        "entitlements",
        "calendar",
        "plans list",
        "plans show",
        "plans compare",
        "replay",
        "--metric",
        "report",
    ] {
        assert!(commands.iter().any(|c| c.contains(&format!(" {cmd} "))), "no example for {cmd}");
    }
    assert!(commands.iter().any(|c| c.starts_with("slacalc batch")) && commands.iter().any(|c| c.contains(" check ")));
    let bless = std::env::var_os("SLACALC_BLESS_DOCS").is_some();
    let mut new_text = String::new();
    let mut last = 0;
    for ex in &examples {
        assert!(ex.command.starts_with("slacalc ") && ex.command.contains("--format json"), "{}", ex.command);
        let got = run_doc_command(&ex.command);
        if bless {
            let pretty = if ex.jsonl {
                got.clone()
            } else {
                values(&got).iter().map(|v| serde_json::to_string_pretty(v).unwrap() + "\n").collect()
            };
            new_text.push_str(&text[last..ex.body.start]);
            new_text.push_str(&pretty);
            last = ex.body.end;
        } else {
            assert_eq!(
                values(&text[ex.body.clone()]),
                values(&got),
                "docs/json.md is out of date for `{}`; rerun with SLACALC_BLESS_DOCS=1 after checking the change",
                ex.command
            );
        }
    }
    if bless {
        new_text.push_str(&text[last..]);
        std::fs::write(&path, new_text).unwrap();
    }
}

#[test]
fn cron_script_takes_tomorrow_from_slacalc_now() {
    // SLACALC_NOW is Mon 2026-11-23 12:00 Paris: "tomorrow" is Tue 24th,
    // whatever today's date is on the machine running the test.
    let dir = tempfile::tempdir().unwrap();
    let r = script("due-tomorrow.sh", &[], &[], dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.ends_with("3 ticket(s) due on 2026-11-24 (Europe/Paris).\n"), "{}", r.stdout);
}

#[test]
fn replay_script_lists_what_needs_attention_in_the_sample_events() {
    let dir = tempfile::tempdir().unwrap();
    let r = script("replay-events.sh", &[], &[], dir.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // As of Mon 23 12:00 (+01:00). E04 was raised to urgent (1 h) at 14:00
    // after 5 h of normal's business clock: its first response was due at
    // 10:00, answered 14:30: missed. E10: high (2 h) from 09:00, due 11:00.
    // E12: customer wrote Thu 10:00, 1bd → Fri 10:00. E17: urgent 24x7 from
    // Sun 20:00: next response 21:00 + 1 h, resolution 20:00 + 4 h. E19 waits
    // on the customer since Fri 16:05. E06 has no created event.
    let want = "\
E02  high     first_response     missed   due 2026-11-16T12:00:00+01:00
E04  urgent   first_response     missed   due 2026-11-18T10:00:00+01:00
E04  urgent   resolution         missed   due 2026-11-18T13:00:00+01:00
E06  cannot be replayed: line 26: reply event before the ticket's created event: no plan yet to read the local time \"2026-11-16 11:00\" in (give --input-tz, or put the created event first)
E08  low      first_response     missed   due 2026-11-20T16:00:00+01:00
E10  high     first_response     breached due 2026-11-23T11:00:00+01:00
E12  normal   next_response #1   breached due 2026-11-20T10:00:00+01:00
E15  cannot be replayed: line 52: unknown status \"archived\" for plan nimbus-pro (expected one of: new, open, pending, waiting, hold, on-hold, solved, resolved, closed, with-vendor, fixed, awaiting-customer; add names under [plans.statuses])
E17  urgent   next_response #1   breached due 2026-11-22T22:00:00+01:00
E17  urgent   resolution         breached due 2026-11-23T00:00:00+01:00
E19  normal   resolution         paused   no deadline while paused
43 rows: 4 breached, 4 missed, 1 paused; 2 ticket(s) could not be replayed.
";
    assert_eq!(r.stdout, want);
    assert!(r.stderr.contains("69 events, 20 tickets, 43 rows"), "{}", r.stderr);
}

#[test]
fn sample_events_cover_a_reopen_and_a_weekend_pause() {
    let out = slacalc(&[
        "--plans",
        "examples/lifecycle-vendor.toml",
        "replay",
        "--input",
        "examples/ticket-events.csv",
        "--now",
        NOW,
        "--format",
        "json",
    ])
    .dir(&root())
    .run();
    let rows: Vec<Value> = out.ok().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let find = |id: &str, metric: &str| rows.iter().find(|r| r["id"] == id && r["metric"] == metric).unwrap();
    // E03, reopened by the customer Wed 10:00: resolution counts Tue 09–12
    // (3 h) and Wed 10–16 (6 h), stops at the last solve (Wed 16:00); the
    // close on Friday does not move it.
    let e03 = find("E03", "resolution");
    assert_eq!(e03["stop"], "2026-11-18T16:00:00+01:00");
    assert_eq!(e03["elapsed_seconds"], 32_400);
    assert_eq!(find("E03", "next_response")["start"], "2026-11-18T10:00:00+01:00");
    // E05, waiting from Fri 14:00 to Mon 10:00: Fri 14–17 + Mon 09–10 = 4 h
    // paused; Fri 10–14 + Mon 10–12 = 6 h counted.
    let e05 = find("E05", "resolution");
    assert_eq!(e05["paused_seconds"], 14_400);
    assert_eq!(e05["elapsed_seconds"], 21_600);
    assert_eq!(e05["state"], "running");
    // E16 is created after now: no row. E20, created urgent Mon 23 09:00,
    // was lowered at 09:20 to low, which has no resolution target: its
    // resolution cycle, tracked under urgent, is no-commitment. Elapsed:
    // 09:00–09:20 on urgent's 24x7 clock (20 min) + 09:20–12:00 on low's
    // business clock (2h40) = 3 h.
    assert!(!rows.iter().any(|r| r["id"] == "E16"));
    let e20 = find("E20", "resolution");
    assert_eq!(e20["state"], "no-commitment");
    assert_eq!(e20["target"], "none");
    assert_eq!(e20["elapsed_seconds"], 10_800);
}
