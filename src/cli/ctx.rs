//! What every command shares: the settings resolved once from the global
//! options ([`Ctx`], with where "now" comes from, [`Now`]), and what a
//! command hands back to be printed ([`Output`]).

use anyhow::{Context as _, Result, anyhow};
use chrono_tz::Tz;
use slacalc::instant::{self, Display};
use slacalc::{Error, PlanSet};

use super::args::Global;

/// What a command produced: text for stdout and the exit code.
pub struct Output {
    /// Printed on stdout.
    pub text: String,
    /// 0 answered, 1 `--check` said no.
    pub code: u8,
}

impl Output {
    pub(super) fn ok(text: String) -> Output {
        Output { text, code: 0 }
    }

    /// Nothing more to print (the command streamed its output itself).
    pub fn quiet() -> Output {
        Output { text: String::new(), code: 0 }
    }
}

/// Settings every command shares, resolved once from the global options.
pub struct Ctx {
    /// `--tz`, parsed.
    pub tz: Option<Tz>,
    /// `--utc`.
    pub utc: bool,
    /// Where "now" comes from.
    pub now: Now,
    /// The system clock, read once: "now" is one instant for the whole run.
    pub sys_now: i64,
    /// Extra plan paths.
    pub plan_paths: Vec<std::path::PathBuf>,
}

impl Ctx {
    pub(super) fn from(g: &Global) -> Result<Ctx> {
        let tz = match &g.tz {
            Some(z) => Some(parse_tz(z)?),
            None => None,
        };
        Ok(Ctx {
            tz,
            utc: g.utc,
            now: Now::from(g.now.as_deref(), std::env::var_os("SLACALC_NOW")),
            sys_now: chrono::Utc::now().timestamp(),
            plan_paths: slacalc::loader::plan_paths(&g.plans, std::env::var_os("SLACALC_PLANS").as_deref())?,
        })
    }

    /// Loads the embedded plans plus `--plans`.
    ///
    /// Never freed: a command loads them once and the process ends when it
    /// returns, and freeing the plans' many small allocations one by one was
    /// 16 k instructions of a `deadline` call (2 %) for nothing.
    pub fn plans(&self) -> Result<std::mem::ManuallyDrop<PlanSet>> {
        Ok(std::mem::ManuallyDrop::new(PlanSet::load(&self.plan_paths)?))
    }

    /// The zone local input times are read in: `--tz`, else the plan's.
    pub fn input_zone(&self, plan_zone: Tz) -> Tz {
        self.tz.unwrap_or(plan_zone)
    }

    /// How instants are printed: `--utc`, `--tz`, else the plan's zone.
    pub fn display(&self, plan_zone: Tz) -> Display {
        if self.utc { Display::Utc } else { Display::Zone(self.tz.unwrap_or(plan_zone)) }
    }

    /// "Now" for a command about one plan: a local `--now` is read in
    /// `--tz`, else the plan's zone (one plan, so one instant).
    pub fn now(&self, zone: Tz) -> Result<i64> {
        match &self.now {
            Now::Flag(s) => instant::parse_instant(s, self.input_zone(zone), self.sys_now).context("invalid --now"),
            Now::Env(s) => Now::env(s, self.sys_now),
            Now::System => Ok(self.sys_now),
        }
    }

    /// "Now" for a command whose rows have different plans and zones
    /// (`batch`): a local `--now` would be a different instant per row, so it
    /// needs `--tz`.
    pub fn now_for_rows(&self) -> Result<i64> {
        match (&self.now, self.tz) {
            (Now::Flag(s), None) if instant::is_local(s) => Err(anyhow!(
                "--now \"{}\" has no UTC offset, and the rows have different zones: give --tz ZONE to read it in, or write the offset (e.g. {})",
                slacalc::text::cut(s, 40),
                example_offset(s)
            )),
            (_, tz) => self.now(tz.unwrap_or(chrono_tz::UTC)),
        }
    }

    /// Parses an instant option, naming it in the error.
    pub fn instant(&self, flag: &str, s: &str, zone: Tz) -> Result<i64> {
        let now = self.now(zone)?;
        instant::parse_instant(s, self.input_zone(zone), now).with_context(|| format!("invalid {flag}"))
    }
}

/// Where "now" comes from: `--now`, `SLACALC_NOW`, or the system clock.
pub enum Now {
    /// `--now` as typed; a local value is read in the command's zone.
    Flag(String),
    /// `SLACALC_NOW` as set: it must carry an offset. Read only by a command
    /// that uses now, so a bad value does not break `plans list` or `check`.
    Env(String),
    /// Neither given.
    System,
}

impl Now {
    /// `--now` wins over `SLACALC_NOW`; an empty variable is not set.
    fn from(flag: Option<&str>, env: Option<std::ffi::OsString>) -> Now {
        if let Some(s) = flag {
            return Now::Flag(s.to_string());
        }
        match env.filter(|v| !v.is_empty()) {
            Some(raw) => Now::Env(raw.to_string_lossy().into_owned()),
            None => Now::System,
        }
    }

    /// Reads `SLACALC_NOW`. The variable is shared by every command of a
    /// script, whose plans have different zones, so a local value would be
    /// a different instant per command: refused.
    fn env(s: &str, sys_now: i64) -> Result<i64> {
        if instant::is_local(s) {
            return Err(anyhow!(
                "SLACALC_NOW=\"{}\" has no UTC offset: it is shared by every command of a script, whose plans have different zones, so it must name one instant (e.g. {})",
                slacalc::text::cut(s, 40),
                example_offset(s)
            ));
        }
        if s.trim().eq_ignore_ascii_case("now") {
            return Ok(sys_now);
        }
        instant::parse_instant(s, chrono_tz::UTC, sys_now).map_err(|e| match e {
            Error::Invalid { .. } => anyhow!(Error::invalid(
                "SLACALC_NOW",
                slacalc::text::cut(s, 40),
                "RFC 3339 with a UTC offset, like 2026-11-20T17:30:00+01:00 or 2026-11-20T16:30:00Z, or now",
            )),
            e => anyhow!(e).context("invalid SLACALC_NOW"),
        })
    }
}

/// `2026-11-20 12:00` → `2026-11-20T12:00:00Z`, for messages.
fn example_offset(local: &str) -> String {
    instant::parse_instant(local, chrono_tz::UTC, 0)
        .map_or_else(|_| "2026-11-20T12:00:00Z".to_string(), |t| instant::format_instant(t, Display::Utc))
}

/// Parses an IANA zone name, suggesting close ones.
pub fn parse_tz(z: &str) -> Result<Tz> {
    z.parse::<Tz>().map_err(|_| {
        let close = slacalc::error::suggest(z, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
        let hint = slacalc::error::did_you_mean(&close);
        anyhow!("unknown time zone \"{z}\"{hint}: expected an IANA name such as Europe/Paris or UTC")
    })
}
