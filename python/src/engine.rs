//! Every call into the slacalc library, and nothing else: the rest of the
//! extension speaks only this module's small interface (UTC seconds,
//! strings, CSV bytes), so a change of the library's public surface is
//! adapted here, in one file.
//!
//! The per-row answers go through the same library functions, in the same
//! order, as `slacalc batch` (status) and `slacalc deadline` (deadline):
//! `PlanSet::get`, `sla::resolve`, `sla::Ticket::new` and its `status` or
//! `deadline`. `replay` runs the library's `replay::run_rows` over the
//! table's cells (the code `replay::run` runs after reading a CSV record),
//! or `replay::run` on the table as CSV when only its CSV form can say
//! what the CLI would answer (see `replay.rs`); `report` calls the
//! library's stream function on in-memory CSV: their answers are the CLI's
//! by construction.

use std::path::PathBuf;

use slacalc::sla::{self, ClockState as LibState, StatusRun, StopAfterNow, Untracked};
use slacalc::{Display, Metric as LibMetric, PlanSet, RowFormat, Timestamp, WorkSpan};

/// Appends `t` as RFC 3339 in UTC (`2026-11-20T09:00:00Z`), as the
/// library prints instants: how timestamps are handed to its CSV readers.
pub fn write_utc(out: &mut Vec<u8>, t: i64) {
    Timestamp::from_secs(t).write_rfc3339(out, Display::Utc);
}

/// The loaded plans.
pub struct Engine {
    plans: PlanSet,
}

/// The clock a row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric(LibMetric);

impl Metric {
    /// Parses `first_response`, `next_response` or `resolution` (`-` for `_`).
    pub fn parse(s: &str) -> Result<Metric, String> {
        LibMetric::parse(s)
            .map(Metric)
            .ok_or_else(|| format!("unknown metric {s:?} (expected one of: first_response, next_response, resolution)"))
    }

    /// The name printed in the `metric` column.
    pub fn name(self) -> &'static str {
        self.0.as_str()
    }

    /// The column a status output names the stop (`responded`, `resolved`).
    pub fn stop_column(self) -> &'static str {
        // The names `batch` gives its stop column.
        if self.0 == LibMetric::Resolution { "resolved" } else { "responded" }
    }
}

/// A (plan, priority, metric) resolved once, shared by every row naming it.
pub struct Pair {
    /// The plan's id (canonical, as batch prints it).
    pub plan_id: String,
    /// The canonical priority; `None` when the plan needs none and none was given.
    pub priority: Option<String>,
    zone: chrono_tz::Tz,
    /// The resolved target, and what status rows against it share.
    run: StatusRun,
}

/// `batch`'s states, in the order of [`STATES`]; `status` returns the index.
pub const STATES: [&str; 7] = ["running", "at-risk", "paused", "breached", "met", "missed", "no-commitment"];

fn state_index(s: LibState) -> u8 {
    match s {
        LibState::Running => 0,
        LibState::AtRisk => 1,
        LibState::Paused => 2,
        LibState::Breached => 3,
        LibState::Met => 4,
        LibState::Missed => 5,
        LibState::NoCommitment => 6,
    }
}

/// One status answer, as a `batch` row holds it.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusRow {
    pub opened: i64,
    pub deadline: Option<i64>,
    /// The stop as of now (`None`: not happened yet, or not given).
    pub stop: Option<i64>,
    /// Index into [`STATES`].
    pub state: u8,
    pub elapsed: i64,
    pub remaining: Option<i64>,
}

impl Engine {
    /// The embedded plans, then the files and directories of `paths`
    /// (later ones override earlier ids), as `--plans` loads them.
    pub fn load(paths: &[PathBuf]) -> Result<Engine, String> {
        PlanSet::load(paths).map(|plans| Engine { plans }).map_err(|e| e.to_string())
    }

    /// Resolves a pair as `batch` does (`no-commitment` where the plan has
    /// no target for the metric), or as `deadline` does with `refuse_untracked`
    /// (an error then). The message is the library's.
    pub fn pair(
        &self,
        plan: &str,
        priority: Option<&str>,
        metric: Metric,
        refuse_untracked: bool,
    ) -> Result<Pair, String> {
        let p = self.plans.get(plan).map_err(|e| e.to_string())?;
        let untracked = if refuse_untracked { Untracked::Refused } else { Untracked::NoCommitment };
        let priority = priority.filter(|s| !s.trim().is_empty());
        let resolved = sla::resolve(p, priority, metric.0, untracked).map_err(|e| e.to_string())?;
        Ok(Pair {
            plan_id: p.id.clone(),
            priority: resolved.priority.clone(),
            zone: p.calendar.calendar.tz(),
            run: StatusRun::new(resolved),
        })
    }

    /// The deadline of a ticket opened at `opened` (`slacalc deadline`),
    /// paused as `pauses` (a batch `pauses` cell, `now` read as `now`) says:
    /// `None` without commitment. Kept out of line (as [`Engine::status`]),
    /// so that a profile tells the engine's share of a row from the
    /// binding's.
    #[inline(never)]
    pub fn deadline(pair: &Pair, opened: i64, pauses: Option<&str>, now: i64) -> Result<Option<i64>, String> {
        Self::paused(sla::Ticket::opened(Timestamp::from_secs(opened)), pair, pauses, now)?
            .deadline(pair.run.resolved(), false)
            .map(|d| d.deadline.map(Timestamp::secs))
            .map_err(|e| e.to_string())
    }

    /// The ticket with the pauses of a batch `pauses` cell (`FROM/TO;FROM/TO`,
    /// local times in the plan's zone), read by the library as batch reads
    /// it; none when null or blank.
    fn paused(ticket: sla::Ticket, pair: &Pair, pauses: Option<&str>, now: i64) -> Result<sla::Ticket, String> {
        match pauses.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => sla::parse_pauses(p, pair.zone, Timestamp::from_secs(now))
                .map(|list| ticket.with_pauses(list))
                .map_err(|e| e.to_string()),
            None => Ok(ticket),
        }
    }

    /// The status of a ticket as of `now`, as one `batch` row answers it
    /// (`pauses` as its `pauses` column): a stop after now has not happened
    /// yet; a ticket opened after now is the error `batch --strict` gives
    /// (plain `batch` leaves such a row out; a column here keeps every row).
    ///
    /// A row without pauses is asked of the pair's [`StatusRun`] first,
    /// which answers it as the steps below do, or leaves it (and its
    /// error's message) to them.
    #[inline(never)]
    pub fn status(
        pair: &mut Pair,
        metric: Metric,
        opened: i64,
        stop: Option<i64>,
        now: i64,
        pauses: Option<&str>,
    ) -> Result<StatusRow, String> {
        if pauses.is_none_or(|p| p.trim().is_empty())
            && let Some(s) =
                pair.run.row(Timestamp::from_secs(opened), stop.map(Timestamp::from_secs), Timestamp::from_secs(now))
        {
            return Ok(StatusRow {
                opened,
                deadline: s.deadline.map(Timestamp::secs),
                stop: s.stop.map(Timestamp::secs),
                state: state_index(s.state),
                elapsed: s.elapsed.secs(),
                remaining: if s.state == LibState::NoCommitment { None } else { s.remaining.map(WorkSpan::secs) },
            });
        }
        let disp = Display::Zone(pair.zone);
        let opened_at = sla::Given { what: "opened", at: Timestamp::from_secs(opened), typed: "", quoted: false };
        let what = metric.stop_column();
        let given = |typed| stop.map(|t| sla::Given { what, at: Timestamp::from_secs(t), typed, quoted: true });
        let now_at = Timestamp::from_secs(now);
        // The stop as typed, for a message only: written when there is one
        // (the rows are checked again with it), not for every row.
        let ticket = match sla::Ticket::new(opened_at, given(""), now_at, StopAfterNow::NotYet, disp) {
            Ok(t) => t,
            Err(_) => {
                let typed = stop.map(|t| Timestamp::from_secs(t).to_rfc3339(Display::Utc)).unwrap_or_default();
                sla::Ticket::new(opened_at, given(&typed), now_at, StopAfterNow::NotYet, disp)
                    .map_err(|e| e.to_string())?
            }
        };
        // Batch reads the pauses after the ticket's times: its errors first.
        let ticket = Self::paused(ticket, pair, pauses, now)?;
        let s = ticket.status(pair.run.resolved(), now_at, false).map_err(|e| e.to_string())?;
        Ok(StatusRow {
            opened: s.deadline.opened.secs(),
            deadline: s.deadline.deadline.map(Timestamp::secs),
            stop: s.responded.map(Timestamp::secs),
            state: state_index(s.state),
            elapsed: s.elapsed.secs(),
            remaining: if s.state == LibState::NoCommitment { None } else { s.remaining.map(WorkSpan::secs) },
        })
    }

    /// `slacalc replay --now NOW --utc` on CSV events (header
    /// `id,at,event,value[,plan,priority]`); its CSV output.
    pub fn replay_csv(&self, events: &[u8], now: i64) -> Result<Vec<u8>, String> {
        let mut opts = slacalc::replay::ReplayOptions::new(Timestamp::from_secs(now));
        opts.display = Some(Display::Utc);
        opts.input_format = Some(RowFormat::Csv);
        let mut out = Vec::with_capacity(events.len());
        slacalc::replay::run(&self.plans, events, &mut out, &opts, |_| {}).map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// Where replay's input columns are among a table's column names, as
    /// `replay` finds them in a CSV header: (id, at, event, value, plan,
    /// priority).
    #[allow(clippy::type_complexity)]
    pub fn replay_columns_of(
        names: &[&str],
    ) -> Result<(usize, usize, usize, Option<usize>, Option<usize>, Option<usize>), String> {
        let opts = slacalc::replay::ReplayOptions::new(Timestamp::from_secs(0));
        let c = slacalc::replay::event_columns(names, &opts).map_err(|e| e.to_string())?;
        Ok((c.id, c.at, c.event, c.value, c.plan, c.priority))
    }

    /// `slacalc replay --now NOW` on a table's rows (see
    /// `slacalc::replay::run_rows`): the rows answered into `out`, as the
    /// CLI answers the table written as CSV.
    pub fn replay_rows<'a>(
        &self,
        rows: impl IntoIterator<Item = slacalc::replay::EventRow<'a>>,
        out: &mut impl slacalc::replay::Output,
        now: i64,
    ) -> Result<(), String> {
        let opts = slacalc::replay::ReplayOptions::new(Timestamp::from_secs(now));
        slacalc::replay::run_rows(&self.plans, rows, out, &opts).map(|_| ()).map_err(|e| e.to_string())
    }

    /// The replay output columns, in order.
    pub fn replay_columns() -> &'static [&'static str] {
        &slacalc::replay::COLUMNS
    }

    /// `slacalc report --by BY [--tz ZONE] --format csv` on batch or replay
    /// output as CSV; priorities sort in the order of these plans' levels.
    /// Returns the key names (as the input spells them) and the CSV.
    pub fn report_csv(&self, rows: &[u8], by: &str, zone: Option<&str>) -> Result<(Vec<String>, String), String> {
        let by = slacalc::report::parse_by(by).map_err(|e| e.to_string())?;
        let zone = match zone {
            Some(z) => Some(
                z.parse::<chrono_tz::Tz>()
                    .map_err(|_| format!("unknown time zone {z:?} (expected an IANA name such as Europe/Paris)"))?,
            ),
            None => None,
        };
        let levels = if by.contains(&slacalc::report::Key::Priority) {
            slacalc::report::Levels::from_plans(&self.plans)
        } else {
            slacalc::report::Levels::default()
        };
        let mut opts = slacalc::report::ReportOptions::new(by);
        opts.input_format = Some(RowFormat::Csv);
        opts.zone = zone;
        opts.levels = levels;
        let rep = slacalc::report::run(rows, &opts).map_err(|e| e.to_string())?;
        Ok((rep.by.iter().map(|k| k.name().to_string()).collect(), rep.to_csv()))
    }

    /// The report's figure columns, after the keys.
    pub fn report_fields() -> &'static [&'static str] {
        &slacalc::report::FIELDS
    }
}
