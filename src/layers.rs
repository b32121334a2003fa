//! The layer rule of DESIGN.md ("Which module may import which?"), checked
//! on the source: every `crate::NAME` a library file names outside its
//! comments and its `#[cfg(test)] mod tests` must be on the file's own
//! floor or below, and the three pipelines never name each other.

use std::path::Path;

/// The floors, lowest first. A module may name its own floor and those
/// below; `batch`, `replay` and `report` (the top floor) may not name each
/// other either.
const FLOORS: [&[&str]; 8] = [
    &["text", "decimal"],
    &["engine"],
    &["error"],
    &["io", "instant", "offsets", "mapping", "profiles", "ics", "event_exports"],
    &["plan", "world"],
    &["loader"],
    &["sla"],
    &["batch", "replay", "report"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

/// Every `crate::NAME` in `text` outside comments and the tests module.
fn named(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            // The tests module comes last; what it names is not the file's.
            if text.split_once(line).is_some_and(|(_, rest)| rest.trim_start().starts_with("mod tests")) {
                break;
            }
        }
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            out.push(&rest[..end]);
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_a_higher_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for p in &all {
        let rel = p.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        // The command line (above everything), the crate root, test files.
        if matches!(top, "cli" | "main" | "lib" | "layers") || rel.ends_with("tests.rs") {
            continue;
        }
        let own = floor(top).unwrap_or_else(|| panic!("src/{rel}: module {top} is on no floor of FLOORS"));
        checked += 1;
        for name in named(&std::fs::read_to_string(p).unwrap()) {
            let Some(theirs) = floor(name) else { continue };
            if name != top && (theirs > own || (theirs == own && own == FLOORS.len() - 1)) {
                wrong.push(format!("src/{rel} (floor {own}) names crate::{name} (floor {theirs})"));
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(wrong.is_empty(), "imports against the layers (DESIGN.md):\n{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_what_a_file_names() {
    let text = "use crate::io::Records;\n// crate::batch in a comment\nlet x = crate::sla::x(); // crate::cli\n#[cfg(test)]\nmod tests {\n    use crate::replay;\n}\n";
    assert_eq!(named(text), ["io", "sla"]);
}
