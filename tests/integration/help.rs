//! `--help` on every subcommand, `--version`, `slacalc man`, `slacalc
//! completions`, colors (terminal only, never with NO_COLOR) and the
//! 80-column fit of tables.

use crate::util::slacalc;

/// Every subcommand path, as typed.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["deadline"],
    &["status"],
    &["quota"],
    &["credit"],
    &["entitlements"],
    &["calendar"],
    &["plans"],
    &["plans", "list"],
    &["plans", "show"],
    &["plans", "compare"],
    &["batch"],
    &["check"],
    &["completions"],
    &["man"],
];

fn help(path: &[&str]) -> String {
    let mut args = path.to_vec();
    args.push("--help");
    let r = slacalc(&args).env("COLUMNS", "80").run();
    r.ok().to_string()
}

/// The lines of the `Examples:` block of a help text.
fn examples(text: &str) -> Vec<&str> {
    text.lines().skip_while(|l| !l.starts_with("Examples:")).skip(1).take_while(|l| !l.is_empty()).collect()
}

#[test]
fn every_subcommand_has_a_summary_examples_and_fits_80_columns() {
    for path in COMMANDS {
        let text = help(path);
        let name = path.join(" ");
        let summary = text.lines().next().unwrap_or_default();
        assert!(summary.len() > 10, "{name}: no one-line summary:\n{text}");
        assert!(text.contains(&format!("Usage: slacalc {name}").trim_end().to_string()), "{name}:\n{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{name}: line longer than 80 columns:\n{line}");
        }
        let ex = examples(&text);
        let commands = ex.iter().filter(|l| l.starts_with("  slacalc ") || l.starts_with("  cat ")).count();
        assert!(commands >= 2, "{name}: wants 2-3 examples, found {commands}:\n{text}");
        for line in &ex {
            // A wrapped example would start a line with something else.
            assert!(
                line.starts_with("  slacalc ") || line.starts_with("  cat ") || line.starts_with("    "),
                "{name}: example wrapped or malformed: {line:?}"
            );
            if !line.starts_with("    ") {
                assert!(line.contains("slacalc"), "{name}: {line}");
            }
        }
    }
}

#[test]
fn every_flag_is_explained() {
    for path in COMMANDS {
        let text = help(path);
        let lines: Vec<&str> = text.lines().take_while(|l| !l.starts_with("Examples:")).collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            let is_flag = (indent == 2 || indent == 6) && t.starts_with('-');
            if is_flag && !t.contains("  ") {
                // Long help puts the explanation on the next line.
                let next = lines.get(i + 1).map_or("", |l| l.trim());
                assert!(!next.is_empty(), "{path:?}: flag without an explanation: {line}");
            }
        }
    }
}

#[test]
fn short_help_and_help_subcommand_work() {
    let r = slacalc(&["calendar", "-h"]).run();
    assert!(r.ok().contains("--weeks"));
    let r = slacalc(&["help", "calendar"]).run();
    assert!(r.ok().contains("Week by week"));
}

#[test]
fn version() {
    let r = slacalc(&["--version"]).run();
    assert_eq!(r.ok(), format!("slacalc {}\n", env!("CARGO_PKG_VERSION")));
    let r = slacalc(&["-V"]).run();
    assert_eq!(r.ok(), format!("slacalc {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn man_page_is_roff_from_the_clap_definitions() {
    let r = slacalc(&["man"]).run();
    let page = r.ok();
    for needle in [
        ".TH slacalc 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH \"GLOBAL OPTIONS\"",
        ".SH EXAMPLES",
        ".SH ENVIRONMENT",
        "SLACALC_PLANS",
        "NO_COLOR",
        ".SH \"EXIT STATUS\"",
        "calendar",
        "completions",
        "slacalc 0.",
    ] {
        assert!(page.contains(needle), "slacalc.1 lacks {needle:?}:\n{page}");
    }
    let r = slacalc(&["man", "deadline"]).run();
    let page = r.ok();
    assert!(page.contains(".TH slacalc-deadline 1"), "{page}");
    assert!(page.contains("\\-\\-opened") && page.contains("\\-\\-explain"), "{page}");
    let r = slacalc(&["man", "plans", "show"]).run();
    assert!(r.ok().contains(".TH slacalc-plans-show 1"));
    slacalc(&["man", "nonsense"]).run().bad(&["no manual page", "calendar"]);
}

#[test]
fn man_dir_writes_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let r = slacalc(&["man", "--dir", out.to_str().unwrap()]).run();
    assert_eq!(r.ok(), "");
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for want in ["slacalc.1", "slacalc-calendar.1", "slacalc-deadline.1", "slacalc-plans-show.1", "slacalc-man.1"] {
        assert!(names.iter().any(|n| n == want), "{want} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
}

/// groff, when installed, renders every page without a warning.
#[test]
fn man_pages_render_cleanly_with_groff() {
    if !crate::util::have_tool("groff") {
        return;
    }
    for path in COMMANDS {
        let mut args = vec!["man"];
        args.extend_from_slice(path);
        let page = slacalc(&args).run().ok().to_string();
        let mut child = std::process::Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "{path:?}: groff says:\n{stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("slacalc"));
    }
}

#[test]
fn completions_for_all_five_shells() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = slacalc(&["completions", shell]).run();
        let script = r.ok();
        assert!(script.len() > 500, "{shell}: {script}");
        for word in ["slacalc", "deadline", "calendar", "plan", "weeks", "explain"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    slacalc(&["completions", "tcsh"]).run().bad(&["tcsh", "bash"]);
}

/// The bash script parses, and completes subcommands.
#[test]
fn bash_completion_loads() {
    if !crate::util::have_tool("bash") {
        return;
    }
    let script = slacalc(&["completions", "bash"]).run().ok().to_string();
    let (_dir, path) = crate::util::temp_file("slacalc.bash", &script);
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && COMP_WORDS=(slacalc cal) COMP_CWORD=1 && _slacalc slacalc cal slacalc && echo \"${{COMPREPLY[@]}}\"",
            path.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("calendar"), "{stdout}");
}

/// Tables written to a pipe fit 80 columns, and carry no color codes.
#[test]
fn tables_fit_80_columns_and_are_plain_in_a_pipe() {
    let runs: &[&[&str]] = &[
        &["plans", "list"],
        &["plans", "show", "gold"],
        &["plans", "compare", "bronze", "silver", "gold"],
        &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-21 11:00", "--explain"],
        &["status", "--plan", "paying", "--opened", "2026-12-23 17:00", "--now", "2026-12-29 12:00", "--explain"],
        &["entitlements", "--plan", "gold"],
        &["calendar", "--plan", "gold", "--from", "2026-03-23"],
        &["calendar", "--plan", "cloud", "--from", "2026-03-23", "--tz", "America/Los_Angeles"],
    ];
    for args in runs {
        for env_no_color in [true, false] {
            let mut cmd = slacalc(args);
            if !env_no_color {
                cmd = cmd.env("NO_COLOR", "");
            }
            let r = cmd.run();
            let out = r.ok();
            assert!(!out.contains('\u{1b}'), "{args:?}: escape codes in a pipe:\n{out}");
            // Table rows, and every line of the commands whose text this
            // file's author owns (calendar, --explain).
            let all = matches!(args[0], "calendar" | "deadline" | "status");
            for line in out.lines().filter(|l| all || l.starts_with(['┌', '│', '╞', '└', '├'])) {
                assert!(line.chars().count() <= 80, "{args:?}: {} columns:\n{line}", line.chars().count());
            }
        }
    }
}

#[test]
fn columns_sets_the_table_width() {
    let r = slacalc(&["calendar", "--plan", "gold", "--from", "2026-03-23", "--weeks", "1"]).env("COLUMNS", "60").run();
    for line in r.ok().lines() {
        assert!(line.chars().count() <= 60, "{line}");
    }
}

/// On a terminal (through script(1), when installed) tables are colored,
/// unless NO_COLOR is set.
#[test]
fn colors_on_a_terminal_only_without_no_color() {
    if !crate::util::have_tool("script") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_slacalc");
    let run = |no_color: Option<&str>| {
        let cmd =
            format!("{bin} status --plan gold --priority major --opened '2026-11-20 17:30' --now '2026-11-24 12:00'");
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR").env("TERM", "xterm");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let out = c.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let colored = run(None);
    assert!(colored.contains("breached"), "{colored}");
    assert!(colored.contains('\u{1b}'), "no color on a terminal:\n{colored}");
    let plain = run(Some("1"));
    assert!(plain.contains("breached"), "{plain}");
    assert!(!plain.contains("\u{1b}["), "NO_COLOR ignored:\n{plain}");
}
