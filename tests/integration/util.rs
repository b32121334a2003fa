//! One builder that runs the real `slacalc` binary with a fixed environment:
//! no `SLACALC_*` leaking in from the caller, `NO_COLOR`, and `--now` [`NOW`]
//! unless the test gives its own (`--now`, or `SLACALC_NOW` through
//! [`Slacalc::env`]) or the command takes none (`report` refuses it; `help`,
//! `--help`, `--version` and a run without a command get none either).
//!
//! Shared helpers for what the modules repeat: [`json`], [`deadline`] and
//! [`due`] for one answer, [`batch`] for rows on stdin, [`rows`] to read CSV.
#![allow(dead_code)] // each test module uses a different part of the helper

use assert_cmd::Command;

/// The "now" every run gets unless it gives its own: Monday 2026-11-23 at
/// noon in Paris.
pub const NOW: &str = "2026-11-23T12:00:00+01:00";

/// The result of one run: status code, stdout, stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit 0 and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected exit 0\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        &self.stdout
    }

    /// Asserts the bad-input contract: exit 2, empty stdout, stderr naming each
    /// of `needles`. Returns stderr.
    #[track_caller]
    pub fn bad(&self, needles: &[&str]) -> &str {
        assert_eq!(self.code, 2, "expected exit 2\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(self.stdout.is_empty(), "stdout must be empty on error, got:\n{}", self.stdout);
        for n in needles {
            assert!(self.stderr.contains(n), "stderr should contain {n:?}:\n{}", self.stderr);
        }
        &self.stderr
    }

    /// Parses stdout as one JSON object.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A `slacalc` invocation under construction.
pub struct Slacalc {
    cmd: Command,
    /// The command line (after `slacalc`).
    args: Vec<String>,
    /// Whether [`Slacalc::run`] puts `--now NOW` in front of `args` (before
    /// the command, so that clap's usage lines in errors stay as a user sees them).
    default_now: bool,
}

/// Starts a run with `args`, with `--now` [`NOW`] unless the test gives its
/// own or the command takes none (see the module doc).
pub fn slacalc(args: &[&str]) -> Slacalc {
    let mut cmd = Command::cargo_bin("slacalc").expect("binary built");
    cmd.env_remove("SLACALC_PLANS").env_remove("SLACALC_NOW").env("NO_COLOR", "1").env_remove("COLUMNS");
    Slacalc { cmd, args: args.iter().map(|a| a.to_string()).collect(), default_now: takes_default_now(args) }
}

/// False when `args` give their own `--now`, run a command that refuses or
/// ignores it (`report`, `help`), ask for help or the version, name no
/// command, or end their options with `--`.
fn takes_default_now(args: &[&str]) -> bool {
    let command = args
        .iter()
        .enumerate()
        .find(|&(i, a)| !a.starts_with('-') && (i == 0 || !matches!(args[i - 1], "--plans" | "--tz" | "--format")));
    let Some((_, &command)) = command else { return false };
    !matches!(command, "report" | "help")
        && !args.iter().any(|a| {
            *a == "--now" || a.starts_with("--now=") || matches!(*a, "--" | "-h" | "--help" | "-V" | "--version")
        })
}

impl Slacalc {
    /// Sets an environment variable; `SLACALC_NOW` replaces the default `--now`.
    pub fn env(mut self, k: &str, v: &str) -> Slacalc {
        self.cmd.env(k, v);
        if k == "SLACALC_NOW" {
            self.default_now = false;
        }
        self
    }

    /// Feeds stdin.
    pub fn stdin(mut self, s: impl Into<Vec<u8>>) -> Slacalc {
        self.cmd.write_stdin(s);
        self
    }

    /// Runs in `dir`.
    pub fn dir(mut self, d: &std::path::Path) -> Slacalc {
        self.cmd.current_dir(d);
        self
    }

    /// Kills the run after `secs` seconds (exit code -1 then): for cases that
    /// once read forever, so that a test fails rather than hangs.
    pub fn timeout(mut self, secs: u64) -> Slacalc {
        self.cmd.timeout(std::time::Duration::from_secs(secs));
        self
    }

    /// Runs it.
    pub fn run(mut self) -> Run {
        if self.default_now {
            self.cmd.args(["--now", NOW]);
        }
        self.cmd.args(&self.args);
        let out = self.cmd.output().expect("slacalc runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `args`, killed after `secs` seconds (exit code -1 then).
pub fn run_with_timeout(args: &[&str], secs: u64) -> Run {
    slacalc(args).timeout(secs).run()
}

/// Runs `args` with `--format json` and returns the parsed object (asserting exit 0).
#[track_caller]
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let r = slacalc(&a).run();
    r.ok();
    r.json()
}

/// `deadline ARGS --format json` (at [`NOW`] unless ARGS give `--now`),
/// asserting exit 0.
#[track_caller]
pub fn deadline(args: &[&str]) -> serde_json::Value {
    let mut a = vec!["deadline"];
    a.extend_from_slice(args);
    json(&a)
}

/// The `deadline` field of [`deadline`].
#[track_caller]
pub fn due(args: &[&str]) -> String {
    let d = deadline(args);
    d["deadline"].as_str().unwrap_or_else(|| panic!("deadline is not a string: {d}")).to_string()
}

/// `due!(PLAN, PRIORITY, OPENED [, MORE ARGS…] => DEADLINE)`: asserts the
/// `deadline` answer (see [`due`]) for one boundary case on one line.
macro_rules! due {
    ($plan:expr, $priority:expr, $opened:expr $(, $arg:expr)* => $want:expr) => {
        assert_eq!(
            $crate::util::due(&["--plan", $plan, "--priority", $priority, "--opened", $opened $(, $arg)*]),
            $want,
            "deadline --plan {} --priority {} --opened {}",
            $plan,
            $priority,
            $opened
        )
    };
}

/// `batch --input - ARGS` with `input` on stdin (at [`NOW`] unless ARGS give `--now`).
pub fn batch(input: &str, args: &[&str]) -> Run {
    let mut a = vec!["batch", "--input", "-"];
    a.extend_from_slice(args);
    slacalc(&a).stdin(input).run()
}

/// Every record of `csv`, the header too, as strings.
#[track_caller]
pub fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    r.records().map(|x| x.expect("valid CSV").iter().map(str::to_string).collect()).collect()
}

/// Every line of `out` (JSON Lines) parsed.
#[track_caller]
pub fn json_lines<T: serde::de::DeserializeOwned>(out: &str) -> Vec<T> {
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// Writes `text` to a new temp file named `name` and returns the dir (keep it alive) and path.
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write temp file");
    (dir, path)
}

/// True when `tool --version` runs. A test that needs it and finds it missing
/// says so on stderr (shown in the test's output) and skips; with
/// `SLACALC_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them) it fails
/// instead, so CI never passes by skipping.
pub fn have_tool(tool: &str) -> bool {
    let ok = std::process::Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("SLACALC_REQUIRE_TOOLS").is_none(),
            "{tool} is required (SLACALC_REQUIRE_TOOLS is set) but `{tool} --version` does not run"
        );
        eprintln!("SKIPPED: {tool} is not installed; install it to run this test");
    }
    ok
}
