//! The built-in profiles: column and value maps of helpdesks' standard
//! ticket exports (`--profile zendesk`), embedded in the binary from
//! `profiles/*.toml`, as plans are. `slacalc profiles show NAME` prints one,
//! ready to copy and edit.

use crate::error::{Error, Result};
use crate::text::cut;

/// One built-in profile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Builtin {
    /// Its name, as given to `--profile`.
    pub name: &'static str,
    /// The profile file's text.
    pub text: &'static str,
}

/// Every built-in profile, by name.
pub(crate) const BUILTIN: [Builtin; 3] = [
    Builtin { name: "freshdesk", text: include_str!("../profiles/freshdesk.toml") },
    Builtin { name: "jira", text: include_str!("../profiles/jira.toml") },
    Builtin { name: "zendesk", text: include_str!("../profiles/zendesk.toml") },
];

/// True when `--profile` names a built-in profile rather than a file: a
/// name without `/` that does not end in `.toml`.
pub(crate) fn is_builtin_name(s: &str) -> bool {
    !s.contains('/') && !s.contains('\\') && !s.to_ascii_lowercase().ends_with(".toml")
}

/// The built-in profile `name` (case-insensitive).
///
/// # Errors
/// [`Error::Input`] listing the built-in profiles, with "did you mean".
pub(crate) fn get(name: &str) -> Result<&'static Builtin> {
    let want = name.trim();
    BUILTIN.iter().find(|b| b.name.eq_ignore_ascii_case(want)).ok_or_else(|| {
        let close = crate::error::suggest(want, BUILTIN.iter().map(|b| b.name));
        Error::Input(format!(
            "unknown built-in profile \"{}\"{} (built-in profiles: {}; a profile file is a path ending in .toml or holding a /)",
            cut(want, 80),
            crate::error::did_you_mean(&close),
            BUILTIN.iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_look_up() {
        assert!(is_builtin_name("zendesk"));
        assert!(!is_builtin_name("zendesk.toml"));
        assert!(!is_builtin_name("./zendesk"));
        assert_eq!(get("Zendesk").unwrap().name, "zendesk");
        let e = get("zendsk").unwrap_err().to_string();
        assert!(e.contains("did you mean \"zendesk\"?"), "{e}");
        assert!(e.contains("freshdesk, jira, zendesk"), "{e}");
    }

    #[test]
    fn every_built_in_profile_loads_for_batch() {
        for b in BUILTIN {
            let m = crate::mapping::Mapping::from_builtin(b.name, &crate::batch::FIELDS, &crate::batch::VALUED);
            assert!(m.is_ok(), "{}: {:?}", b.name, m.err());
            let (name, source) = crate::mapping::describe(b.text);
            assert!(!name.is_empty() && source.contains("https://"), "{}", b.name);
        }
    }
}
