//! `batch --jobs`, `--strict` and interrupted runs (audit 2026-12-06 H10–H13):
//! `--jobs` is bounded and changes neither the output nor the exit code,
//! `--strict` keeps memory flat and prints nothing when it fails, and a run
//! stopped by a signal leaves only whole records on a pipe.

use crate::util::{slacalc, temp_file};

const NOW: &str = "2026-06-30T00:00:00Z";

/// `n` good rows of a few plans and priorities (about 60 bytes each), with
/// an extra column, as an export has.
fn rows(n: usize) -> String {
    let mut s = String::from("id,plan,priority,opened,note\n");
    let plans = [("gold", "major"), ("gold", "minor"), ("apizee-gold", "moderate"), ("gold", "p2")];
    for i in 0..n {
        let (plan, prio) = plans[i % plans.len()];
        s.push_str(&format!("T{i:07},{plan},{prio},2026-06-{:02}T{:02}:00:00+02:00,n{i}\n", 1 + i % 28, 8 + i % 10));
    }
    s
}

/// Runs `batch` on the file at `path` with `extra` arguments.
fn batch(path: &std::path::Path, extra: &[&str]) -> crate::util::Run {
    let mut a = vec!["batch", "--input", path.to_str().expect("utf-8 path"), "--now", NOW];
    a.extend_from_slice(extra);
    slacalc(&a).run()
}

#[test]
fn h10_jobs_above_the_maximum_are_refused() {
    let (_d, path) = temp_file("t.csv", "id,plan,priority,opened\nA,gold,major,2026-06-01T10:00:00+02:00\n");
    for n in ["100000", "18446744073709551615", "65", "99999999999999999999999", "many"] {
        batch(&path, &["--jobs", n]).bad(&["--jobs", n, "expected 0 to 64"]);
    }
    // The maximum itself and 0 (one per core) run, with the output of one job.
    let one = batch(&path, &["--jobs", "1"]).ok().to_string();
    for n in ["64", "0", "2"] {
        assert_eq!(batch(&path, &["--jobs", n]).ok(), one, "--jobs {n}");
    }
    let help = slacalc(&["batch", "--help"]).run();
    assert!(help.ok().contains("0 to 64"), "--help names the maximum:\n{}", help.stdout);
}

#[test]
fn h11_a_fatal_error_early_leaves_nothing_with_any_jobs() {
    // A quote opened on line 3 and never closed: nothing on stdout, exit 2.
    let (_d, path) = temp_file(
        "q.csv",
        "id,plan,priority,opened\nA,gold,major,2026-06-01T10:00:00+02:00\nB,gold,major,\"2026-06-01\nC,x,y,z\n",
    );
    for jobs in ["1", "2", "3", "8"] {
        batch(&path, &["--jobs", jobs]).bad(&["line 3", "never closed"]);
        batch(&path, &["--jobs", jobs, "--format", "json"]).bad(&["line 3", "never closed"]);
    }
}

#[test]
fn h11_a_fatal_error_later_leaves_the_bytes_of_one_job() {
    // Past the first writes (64 KiB) and across several chunks of 4,096
    // rows: what is on stdout when the run fails is the same, byte for byte.
    let mut text = rows(10_000);
    text.push_str("X,gold,major,\"2026-06-01\nY,gold,major,2026-06-01T10:00:00+02:00\n");
    let (_d, path) = temp_file("late.csv", &text);
    for format in ["csv", "json"] {
        let one = batch(&path, &["--jobs", "1", "--format", format]);
        assert_eq!(one.code, 2, "{}", one.stderr);
        assert!(one.stdout.len() > 64 * 1024, "one job has written some rows: {}", one.stdout.len());
        for jobs in ["2", "3", "5"] {
            let many = batch(&path, &["--jobs", jobs, "--format", format]);
            assert_eq!(many.code, 2, "{}", many.stderr);
            assert!(
                many.stdout == one.stdout,
                "--jobs {jobs} --format {format}: {} vs {} bytes",
                many.stdout.len(),
                one.stdout.len()
            );
            assert_eq!(many.stderr, one.stderr);
        }
    }
}

#[test]
fn h12_strict_spools_to_a_temporary_file_and_prints_all_or_nothing() {
    let text = rows(20_000);
    let (dir, path) = temp_file("t.csv", &text);
    let spool = tempfile::tempdir().expect("tempdir");
    let tmp = spool.path().to_str().expect("utf-8 path");
    for format in ["csv", "json"] {
        // Success: the whole output, as without --strict, and nothing left
        // in the temporary directory.
        let plain = batch(&path, &["--format", format]).ok().to_string();
        assert!(plain.len() > 1 << 20);
        let strict =
            slacalc(&["batch", "--input", path.to_str().unwrap(), "--now", NOW, "--format", format, "--strict"])
                .env("TMPDIR", tmp)
                .run();
        assert!(strict.ok() == plain, "--strict --format {format}: {} vs {} bytes", strict.stdout.len(), plain.len());
        let strict2 = batch(&path, &["--format", format, "--strict", "--jobs", "2"]);
        assert!(strict2.ok() == plain, "--strict --jobs 2 --format {format}");
    }
    // A bad row near the end: nothing on stdout, the line named.
    let mut bad = text.clone();
    bad.push_str("Z,gold,major,yesterday,n\n");
    bad.push_str(&rows(10).lines().skip(1).map(|l| format!("{l}\n")).collect::<String>());
    let bad_path = dir.path().join("bad.csv");
    std::fs::write(&bad_path, bad).unwrap();
    for jobs in ["1", "2"] {
        let r = slacalc(&["batch", "--input", bad_path.to_str().unwrap(), "--now", NOW, "--strict", "--jobs", jobs])
            .env("TMPDIR", tmp)
            .run();
        r.bad(&["line 20002", "opened"]);
    }
    assert_eq!(std::fs::read_dir(spool.path()).unwrap().count(), 0, "the spool has no name left behind");
    // The spool is a file: a temporary directory that cannot be written is
    // an error naming it (exit 2, nothing on stdout), never a silent buffer.
    let missing = spool.path().join("missing");
    slacalc(&["batch", "--input", path.to_str().unwrap(), "--now", NOW, "--strict"])
        .env("TMPDIR", missing.to_str().unwrap())
        .run()
        .bad(&["--strict", "temporary file", "missing", "TMPDIR"]);
}

#[test]
fn h12_replay_strict_spools_too() {
    let plans = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle-vendor.toml");
    let mut text = String::from("id,at,event,value,plan,priority\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "E{i},2026-11-16 09:15,created,,nimbus-pro,normal\nE{i},2026-11-16 10:00,reply,agent\n"
        ));
    }
    let (dir, path) = temp_file("ev.csv", &text);
    let spool = tempfile::tempdir().expect("tempdir");
    let args = |p: &std::path::Path, strict: bool| {
        let mut a = vec!["--plans", plans, "replay", "--input", p.to_str().unwrap(), "--now", "2026-12-31T00:00:00Z"];
        if strict {
            a.push("--strict");
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        slacalc(&a).env("TMPDIR", spool.path().to_str().unwrap()).run()
    };
    let plain = run(args(&path, false)).ok().to_string();
    assert!(plain.len() > 1 << 16);
    assert!(run(args(&path, true)).ok() == plain);
    text.push_str("E9999,2026-11-16 09:15,created,,nimbus-pro,urgentissimo\n");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, &text).unwrap();
    run(args(&bad, true)).bad(&["urgentissimo"]);
    assert_eq!(std::fs::read_dir(spool.path()).unwrap().count(), 0);
    let a = args(&path, true);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    slacalc(&a).env("TMPDIR", dir.path().join("missing").to_str().unwrap()).run().bad(&["temporary file", "missing"]);
}

/// Runs `args` with stdout on a pipe nobody reads, sends SIGINT after a
/// moment (the run is then blocked on the full pipe), and returns what the
/// pipe holds.
fn interrupted(args: &[&str]) -> Vec<u8> {
    use std::io::Read as _;
    use std::os::unix::process::ExitStatusExt as _;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slacalc"))
        .args(args)
        .env_remove("SLACALC_PLANS")
        .env_remove("SLACALC_NOW")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("slacalc starts");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kill = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(kill.success());
    let status = child.wait().expect("slacalc ends");
    assert_eq!(status.signal(), Some(2), "stopped by SIGINT while blocked on the pipe: {status:?}");
    let mut data = Vec::new();
    child.stdout.take().expect("stdout").read_to_end(&mut data).expect("read the pipe");
    data
}

/// `data` is the start of `full` and ends at the end of one of its records.
#[track_caller]
fn whole_records(data: &[u8], full: &[u8], what: &str) {
    assert!(data.len() >= 16 * 1024, "{what}: the run had written when stopped ({} bytes)", data.len());
    assert!(full.len() > data.len() + (1 << 17), "{what}: the run was stopped early");
    assert!(full.starts_with(data), "{what}: the pipe holds the start of the output");
    let tail = String::from_utf8_lossy(&data[data.len().saturating_sub(60)..]).into_owned();
    assert!(data.ends_with(b"\n"), "{what}: half a record at the end ({} bytes): …{tail:?}", data.len());
}

/// Whether this process ignores SIGINT, as a command started in the
/// background by a shell without job control does (`cmd &` in a script):
/// the child inherits that, so it would sit on the full pipe forever and
/// the test would hang instead of testing anything.
fn sigint_ignored() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let ignored = status.lines().find_map(|l| l.strip_prefix("SigIgn:")).map(str::trim);
    let ignored = ignored.and_then(|m| u64::from_str_radix(m, 16).ok()).unwrap_or(0);
    if ignored & (1 << (2 - 1)) != 0 {
        eprintln!(
            "skipped: SIGINT is ignored in this process (started in the background?), so its children cannot be stopped by it"
        );
        return true;
    }
    false
}

#[test]
fn h13_sigint_on_a_pipe_leaves_whole_records() {
    if sigint_ignored() {
        return;
    }
    let (_d, path) = temp_file("t.csv", &rows(40_000));
    let p = path.to_str().unwrap();
    for extra in [&[][..], &["--jobs", "2"], &["--format", "json"], &["--strict"]] {
        let mut a = vec!["batch", "--input", p, "--now", NOW];
        a.extend_from_slice(extra);
        let full = slacalc(&a).run().ok().as_bytes().to_vec();
        whole_records(&interrupted(&a), &full, &format!("batch {extra:?}"));
    }
}

#[test]
fn h13_sigint_on_a_pipe_leaves_whole_records_in_replay() {
    if sigint_ignored() {
        return;
    }
    let plans = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle-vendor.toml");
    let mut text = String::from("id,at,event,value,plan,priority\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "E{i},2026-11-16 09:15,created,,nimbus-pro,normal\nE{i},2026-11-16 10:00,reply,agent\n"
        ));
    }
    let (_d, path) = temp_file("ev.csv", &text);
    let a = ["--plans", plans, "replay", "--input", path.to_str().unwrap(), "--now", "2026-12-31T00:00:00Z"];
    let full = slacalc(&a).run().ok().as_bytes().to_vec();
    whole_records(&interrupted(&a), &full, "replay");
}
