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
    let plans = [("gold", "major"), ("gold", "minor"), ("cloud", ""), ("silver", "")];
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
