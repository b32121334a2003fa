//! Builds the index of the embedded plan files: each plan id and alias
//! (lowercase, as `--plan` is matched) with the embedded files its plan needs
//! — its own, the one defining its calendar, those defining that calendar's
//! holiday sets, and those declaring `[features]` when it has entitlements —
//! so that `deadline --plan gold` parses and validates only those files —
//! and of its own file only the part before the `[[plans]]` entries and its
//! own entry (checked here: the two parts must parse to that file with only
//! this plan, or the file is read whole).
//!
//! It also links the binary without PIE on Linux (see [`no_pie`]).
//!
//! The file list is read from the `EMBEDDED` array in `src/loader.rs` (its
//! `include_str!("../plans/…")` entries, in order), so that adding a file
//! there is the only step. The index is checked against a full load of the
//! shipped files by `loader::tests::the_index_matches_the_full_load`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/loader.rs");
    println!("cargo:rerun-if-changed=plans");
    let loader = read(Path::new("src/loader.rs"));
    let files = embedded_paths(&loader);
    let mut texts = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        texts.push(read(f));
    }
    let out = index(&texts);
    no_pie();
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(dir.join("plan_index.rs"), out) {
        panic!("cannot write plan_index.rs: {e}");
    }
}

/// Links the binary as a fixed-address (non-PIE) executable on Linux with
/// glibc: the dynamic loader then has no relocations to apply (a PIE build
/// has some 31,000, about 0.56 M instructions and the copy-on-write page
/// faults of every relocated page), which is a fifth of a `deadline` call.
/// The cost is no address randomisation of the binary itself (libraries,
/// stack and heap are still randomised).
fn no_pie() {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The files named by `include_str!("../…")` inside `pub const EMBEDDED`.
fn embedded_paths(loader: &str) -> Vec<PathBuf> {
    let start = loader.find("pub const EMBEDDED").unwrap_or_else(|| panic!("src/loader.rs has no EMBEDDED"));
    let body = &loader[start..];
    let end = body.find("];").unwrap_or(body.len());
    let mut files = Vec::new();
    let mut rest = &body[..end];
    while let Some(i) = rest.find("include_str!(\"") {
        rest = &rest[i + "include_str!(\"".len()..];
        let j = rest.find('"').unwrap_or_else(|| panic!("unclosed include_str! in EMBEDDED"));
        // Relative to src/, as include_str! reads it.
        files.push(Path::new("src").join(&rest[..j]));
        rest = &rest[j..];
    }
    files
}

/// The generated Rust source: file lengths, then the sorted name → files table.
fn index(texts: &[String]) -> String {
    let docs: Vec<toml::Table> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| t.parse().unwrap_or_else(|e| panic!("embedded plan file {i} does not parse: {e}")))
        .collect();
    // Later files override earlier ids, as in the loader.
    let mut cals: BTreeMap<String, usize> = BTreeMap::new();
    let mut sets: BTreeMap<String, usize> = BTreeMap::new();
    let mut feature_files = BTreeSet::new();
    for (fi, d) in docs.iter().enumerate() {
        for id in table(d, "calendars").keys() {
            cals.insert(id.clone(), fi);
        }
        for id in table(d, "holiday_sets").keys() {
            sets.insert(id.clone(), fi);
        }
        if !table(d, "features").is_empty() {
            feature_files.insert(fi);
        }
    }
    let mut names: BTreeMap<String, (BTreeSet<usize>, Option<Section>)> = BTreeMap::new();
    for (fi, d) in docs.iter().enumerate() {
        let plans = d.get("plans").and_then(toml::Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let sections = plan_sections(&texts[fi], d);
        for (pi, p) in plans.iter().filter_map(toml::Value::as_table).enumerate() {
            let section = sections.as_ref().map(|s| (fi, s[pi].0, s[pi].1));
            let mut need = BTreeSet::from([fi]);
            let cal = p.get("calendar").and_then(toml::Value::as_str).unwrap_or("");
            if let Some(&cfi) = cals.get(cal) {
                need.insert(cfi);
                let holidays = docs[cfi]
                    .get("calendars")
                    .and_then(|c| c.get(cal))
                    .and_then(|c| c.get("holidays"))
                    .and_then(toml::Value::as_array);
                for s in holidays.into_iter().flatten().filter_map(toml::Value::as_str) {
                    if let Some(&sfi) = sets.get(s) {
                        need.insert(sfi);
                    }
                }
            }
            if !table(p, "entitlements").is_empty() {
                need.extend(&feature_files);
            }
            let id = p.get("id").and_then(toml::Value::as_str).unwrap_or("").trim().to_lowercase();
            names.insert(id, (need.clone(), section));
            let aliases = p.get("aliases").and_then(toml::Value::as_array);
            for a in aliases.into_iter().flatten().filter_map(toml::Value::as_str) {
                names.insert(a.to_lowercase(), (need.clone(), section));
            }
        }
    }
    let mut out = String::from("// Generated by build.rs from the EMBEDDED plan files.\n\n");
    out.push_str("/// The byte length of each embedded file the index was built from.\n");
    let lens: Vec<String> = texts.iter().map(|t| t.len().to_string()).collect();
    let _ = writeln!(out, "pub(crate) const FILE_LENS: &[usize] = &[{}];\n", lens.join(", "));
    let heads: Vec<String> = texts.iter().map(|t| first_plan_at(t).to_string()).collect();
    out.push_str("/// Where each embedded file's first `[[plans]]` table starts (its length when none).\n");
    let _ = writeln!(out, "pub(crate) const PLANS_AT: &[usize] = &[{}];\n", heads.join(", "));
    out.push_str("/// A plan's own file (index) and the byte range of its `[[plans]]` entry there.\n");
    out.push_str("pub(crate) type Section = (usize, usize, usize);\n\n");
    out.push_str("/// Each plan id and alias (lowercase, sorted) with the embedded files its plan needs,\n");
    out.push_str("/// and its own file's index and the byte range of its `[[plans]]` section in it\n");
    out.push_str("/// (`None`: that file cannot be cut into plans, so it is read whole).\n");
    out.push_str("pub(crate) const NAMES: &[(&str, &[usize], Option<Section>)] = &[\n");
    for (name, (need, section)) in &names {
        let need: Vec<String> = need.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "    ({name:?}, &[{}], {section:?}),", need.join(", "));
    }
    out.push_str("];\n");
    out
}

/// A plan's own file (its index) and the byte range of its `[[plans]]` entry.
type Section = (usize, usize, usize);

/// True for a line that opens one `[[plans]]` entry.
fn opens_plan(line: &str) -> bool {
    line.trim_start().strip_prefix("[[plans]]").is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty() || rest.starts_with('#')
    })
}

/// The byte offsets of the lines of `text`, each with the line.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, l| {
        let start = *at;
        *at += l.len();
        Some((start, l))
    })
}

/// Where the first `[[plans]]` line starts (the text's length when none).
fn first_plan_at(text: &str) -> usize {
    lines(text).find(|(_, l)| opens_plan(l)).map_or(text.len(), |(at, _)| at)
}

/// The byte range of each `[[plans]]` entry of `text` (from its header line
/// to the next one), such that the text before the first entry plus one
/// entry parses to exactly the file without its other plans; `None` when
/// some range does not (a table of another kind after the plans, a header
/// inside a multi-line string), and the loader then reads the file whole.
fn plan_sections(text: &str, doc: &toml::Table) -> Option<Vec<(usize, usize)>> {
    let plans = doc.get("plans").and_then(toml::Value::as_array)?;
    let mut starts: Vec<usize> = lines(text).filter(|(_, l)| opens_plan(l)).map(|(at, _)| at).collect();
    if starts.len() != plans.len() {
        return None;
    }
    let head = &text[..starts[0]];
    starts.push(text.len());
    let ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
    let mut rest = doc.clone();
    rest.remove("plans");
    for (&(a, b), want) in ranges.iter().zip(plans) {
        let mut got: toml::Table = format!("{head}{}", &text[a..b]).parse().ok()?;
        let one = got.remove("plans")?;
        if got != rest || one.as_array().map(Vec::as_slice) != Some(std::slice::from_ref(want)) {
            return None;
        }
    }
    Some(ranges)
}

fn table<'a>(t: &'a toml::Table, key: &str) -> &'a toml::Table {
    static EMPTY: std::sync::OnceLock<toml::Table> = std::sync::OnceLock::new();
    t.get(key).and_then(toml::Value::as_table).unwrap_or_else(|| EMPTY.get_or_init(toml::Table::new))
}
