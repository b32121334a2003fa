//! Grouping records into tickets, reading each event against the ticket's
//! plan, and replaying a finished ticket.

use std::hash::{Hash, Hasher};

use super::read::{Pending, Rec, Unreadable};
use super::write::Out;
use super::{MAX_EVENTS, Replay};
use crate::error::{Error, Result};
use crate::instant::TimeFormat;
use crate::loader::PlanSet;
use crate::plan::Plan;
use crate::plan::lifecycle::StatusClass;
use crate::sla::ClockState;
use crate::sla::lifecycle::{Author, Event, EventKind, TicketAnswer, replay_with};
use crate::text::cut;

/// The ticket being read.
#[derive(Default)]
pub(super) struct Ticket<'p> {
    pub(super) id: String,
    pub(super) first_line: u64,
    pub(super) plan: Option<&'p Plan>,
    /// The plan as typed, for an error row before it is known.
    pub(super) plan_typed: String,
    pub(super) priority_typed: String,
    pub(super) events: Vec<Event>,
    pub(super) error: Option<Error>,
    /// Line of the last record read.
    pub(super) last_line: u64,
    /// Fingerprint of the id (see [`fingerprint`]).
    pub(super) hash: u64,
    /// False when the id came back after other tickets.
    pub(super) contiguous: bool,
}

/// A 64-bit hash of a ticket id: what is kept of each ticket once it is
/// done, so that an id coming back after other tickets is caught with a
/// fixed-size fingerprint per id, never the ids themselves. SipHash with
/// fixed keys: two distinct ids share a fingerprint with probability about
/// n²/2⁶⁵ (3·10⁻⁸ for a million tickets); such a pair would be reported as a
/// reappearance.
pub(super) fn fingerprint(id: &str) -> u64 {
    #[allow(deprecated)] // SipHasher is the stable, keyed-by-zero SipHash-2-4.
    let mut h = std::hash::SipHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl<'p, S: Out> Replay<'p, '_, S> {
    /// Takes one input record: its fields in `rec`, or why it could not be
    /// read (see [`Unreadable`] for which ticket that is an error of).
    pub(super) fn record(&mut self, rec: &Rec<'_>, read: std::result::Result<(), Unreadable>) -> Result<()> {
        self.summary.events += 1;
        let bad = match read {
            Ok(()) => None,
            Err(u) if u.id_known => Some(u.message),
            Err(u) => {
                // Its ticket is known once the next record is.
                match &mut self.pending {
                    Some(p) => p.last_line = rec.line,
                    None => self.pending = Some(Pending { line: rec.line, message: u.message, last_line: rec.line }),
                }
                return Ok(());
            }
        };
        let same = self.ticket.first_line != 0 && rec.id == self.ticket.id;
        if let Some(p) = self.pending.take() {
            if same {
                // Between two records of this ticket: it is this ticket's.
                if self.ticket.error.is_none() {
                    self.ticket.error = Some(Error::Input(p.text()));
                }
            } else {
                self.finish_ticket()?;
                self.orphan_row(&p)?;
            }
        }
        if !same {
            self.finish_ticket()?;
            self.start_ticket(rec);
        }
        if self.ticket.error.is_none() {
            let taken = match bad {
                Some(e) => Err(e),
                None => self.take(rec),
            };
            if let Err(e) = taken {
                self.ticket.error = Some(e.at_line(None, rec.line));
            }
        }
        self.ticket.last_line = rec.line;
        Ok(())
    }

    /// At the end of the input: the current ticket, then any unreadable
    /// records after it (their ticket cannot be known).
    pub(super) fn flush_pending(&mut self) -> Result<()> {
        if let Some(p) = self.pending.take() {
            self.finish_ticket()?;
            self.orphan_row(&p)?;
        }
        Ok(())
    }

    /// The row of unreadable records whose ticket cannot be known: an empty
    /// id, the error naming the line.
    pub(super) fn orphan_row(&mut self, p: &Pending) -> Result<()> {
        self.summary.errors += 1;
        let e = format!("{}; its ticket cannot be told (the records around it are not of one ticket)", p.text());
        if self.opts.strict {
            return Err(Error::Input(e));
        }
        self.error_row(&Ticket::default(), &e);
        self.sink.commit(false)
    }

    pub(super) fn start_ticket(&mut self, rec: &Rec<'_>) {
        let t = &mut self.ticket;
        t.id.clear();
        t.id.push_str(rec.id);
        t.first_line = rec.line;
        t.plan = None;
        t.plan_typed.clear();
        t.priority_typed.clear();
        t.events.clear();
        t.error = None;
        t.hash = fingerprint(rec.id);
        t.contiguous = true;
        self.summary.tickets += 1;
        if rec.id.is_empty() {
            let empty = Error::Empty { what: "id".into(), expected: "the ticket's id".into() };
            t.error = Some(empty.at_line(None, rec.line));
        } else if let Some(last) = self.seen.get(&t.hash) {
            t.contiguous = false;
            t.error = Some(
                Error::Input(format!(
                    "ticket id \"{}\" reappears after other tickets' events (its earlier events end at line {last}); a ticket's events must be contiguous: sort the export by ticket, then time",
                    cut(rec.id, 80)
                ))
                .at_line(None, rec.line),
            );
        }
    }

    /// Reads one record into the current ticket's events.
    pub(super) fn take(&mut self, rec: &Rec<'_>) -> Result<()> {
        let (opts, plans) = (self.opts, self.plans);
        // The event kind, matched without allocating: it is read a million times.
        let map = &opts.mapping;
        // A name [values.event] does not map is the ticket's error (once the
        // event is known to be at or before now).
        let (event, not_in_map) = match map.map_value("event", map.column("event"), rec.event) {
            Ok(e) => (e, None),
            Err(e) => ("", Some(e)),
        };
        let ignored = event.eq_ignore_ascii_case(crate::mapping::IGNORE);
        let kind = ["created", "reply", "status", "priority"]
            .into_iter()
            .find(|k| event.eq_ignore_ascii_case(k))
            .unwrap_or("");
        let unknown_event = || {
            if let Some(e) = &not_in_map {
                return Error::Input(e.clone());
            }
            let known = "expected created, reply, status or priority";
            Error::Input(match map.mapped("event", rec.event) {
                Some(to) => format!(
                    "unknown event \"{}\" (mapped from \"{}\" by [values.event]; {known})",
                    cut(to, 80),
                    cut(rec.event, 80)
                ),
                None => format!(
                    "unknown event \"{}\" ({known}; map yours with [values.event] in a --profile)",
                    cut(rec.event, 80)
                ),
            })
        };
        let t = &mut self.ticket;
        let mut plan_err = None;
        if kind == "created" && t.plan.is_none() {
            let typed = if rec.plan.is_empty() {
                Ok(opts.plan.as_deref().unwrap_or(""))
            } else {
                // Mapped to nothing ("*" = ""): as an empty cell.
                map.map_value("plan", map.column("plan"), rec.plan)
                    .map(|p| if p.is_empty() { opts.plan.as_deref().unwrap_or("") } else { p })
            };
            t.plan_typed.clear();
            t.plan_typed.push_str(typed.as_ref().map_or(rec.plan, |p| p));
            match typed {
                Err(e) => plan_err = Some(Error::Input(e)),
                Ok("") => {
                    plan_err =
                        Some(Error::Input("created event has no plan (expected a plan column, or --plan)".into()));
                }
                Ok(typed) => match self.lookups.plan(plans, typed) {
                    Ok(p) => t.plan = Some(p),
                    Err(e) if !rec.plan.is_empty() && !map.maps_values("plan") => {
                        plan_err = Some(Error::Input(format!("{e}; map yours with [values.plan] in a --profile")));
                    }
                    Err(e) => plan_err = Some(e),
                },
            }
        }
        let zone = opts
            .input_zone
            .or_else(|| t.plan.map(|p| p.calendar.calendar.tz()))
            .or_else(|| opts.plan.as_deref().and_then(|p| plans.get(p).ok()).map(|p| p.calendar.calendar.tz()));
        if ignored {
            // Skipped, but counted only when it happened by now (an event
            // after now is left out as every other is).
            let after_now = zone
                .or_else(|| (!rec.at.is_local()).then_some(chrono_tz::UTC))
                .and_then(|z| rec.at.instant(z, opts.now.secs(), &map.time_format, map.ambiguous).ok())
                .is_some_and(|at| at > opts.now.secs());
            if !after_now {
                self.summary.ignored += 1;
            }
            return Ok(());
        }
        if rec.at.is_empty() {
            return Err(Error::Empty { what: "at".into(), expected: "the time of the event".into() });
        }
        let at = match zone {
            Some(z) => rec.at.instant(z, opts.now.secs(), &map.time_format, map.ambiguous),
            // Without a zone yet, only a time that carries its offset reads.
            None if !rec.at.is_local() && map.time_format == TimeFormat::Auto => {
                rec.at.instant(chrono_tz::UTC, opts.now.secs(), &map.time_format, map.ambiguous)
            }
            None if kind.is_empty() => return Err(unknown_event()),
            None => {
                return Err(plan_err.unwrap_or_else(|| {
                    Error::Input(format!(
                        "{} event before the ticket's created event: no plan yet to read the local time \"{}\" in (give --input-tz, or put the created event first)",
                        cut(rec.event, 40),
                        cut(&rec.at.text(), 40)
                    ))
                }));
            }
        }
        .map_err(|e| e.of("at"))?;
        if at > opts.now.secs() {
            // As of now, this event has not happened: not even validated.
            return Ok(());
        }
        if let Some(e) = plan_err {
            return Err(e);
        }
        if kind.is_empty() {
            return Err(unknown_event());
        }
        if t.plan.is_none() {
            return Err(Error::Input(format!(
                "{} event before the ticket's created event (expected created first)",
                cut(rec.event, 40)
            )));
        }
        let plan_of = |t: &Ticket<'p>| {
            t.plan.ok_or_else(|| {
                Error::Input(format!(
                    "{} event before the ticket's created event (expected created first)",
                    cut(rec.event, 40)
                ))
            })
        };
        let kind = match kind {
            "created" => {
                let plan = plan_of(t)?;
                if t.events.is_empty() {
                    let typed = if rec.priority.is_empty() {
                        opts.priority.as_deref().unwrap_or("")
                    } else {
                        t.priority_typed.clear();
                        t.priority_typed.push_str(rec.priority);
                        match map.map_priority(&plan.id, map.column("priority"), rec.priority).map_err(Error::Input)? {
                            // Mapped to nothing ("*" = ""): as an empty cell.
                            "" => opts.priority.as_deref().unwrap_or(""),
                            p => p,
                        }
                    };
                    t.priority_typed.clear();
                    t.priority_typed.push_str(typed);
                    EventKind::Created(self.lookups.priority(plan, typed)?)
                } else {
                    // A second one: the replay names both lines.
                    EventKind::Created(None)
                }
            }
            "reply" => EventKind::Reply(
                match map.map_value("author", map.column("value"), rec.value).map_err(Error::Input)? {
                    v if v.eq_ignore_ascii_case("agent") => Author::Agent,
                    v if v.eq_ignore_ascii_case("customer") => Author::Customer,
                    _ => {
                        return Err(Error::Input(format!(
                            "unknown reply author \"{}\" (expected agent or customer)",
                            cut(rec.value, 80)
                        )));
                    }
                },
            ),
            "status" => {
                let plan = plan_of(t)?;
                // A profile's [values.status] may name a status or a class, as
                // pause_on spells it (on_hold is no default status name).
                let mapped = match map.map_value("status", map.column("value"), rec.value).map_err(Error::Input)? {
                    v if map.maps_values("status") => Some(v),
                    _ => None,
                };
                let name = mapped.unwrap_or(rec.value);
                let class = plan.lifecycle.class_of(name).or_else(|| mapped.and_then(StatusClass::parse));
                let class: StatusClass = class.ok_or_else(|| {
                    Error::Input(match mapped {
                    Some(to) => format!(
                        "unknown status \"{}\" (mapped from \"{}\" by [values.status]) for plan {} (expected a class: {}; or a status name: {})",
                        cut(to, 80),
                        cut(rec.value, 80),
                        plan.id,
                        StatusClass::ALL.map(StatusClass::as_str).join(", "),
                        plan.lifecycle.status_names().join(", ")
                    ),
                    None => format!(
                        "unknown status \"{}\" for plan {} (expected one of: {}; add names under [plans.statuses])",
                        cut(rec.value, 80),
                        plan.id,
                        plan.lifecycle.status_names().join(", ")
                    ),
                })
                })?;
                EventKind::Status(class)
            }
            "priority" => {
                let plan = plan_of(t)?;
                if rec.value.is_empty() {
                    return Err(Error::Input(
                        "priority event has no value (expected a priority name of the ticket's plan)".into(),
                    ));
                }
                EventKind::Priority(self.lookups.priority(
                    plan,
                    map.map_priority(&plan.id, map.column("value"), rec.value).map_err(Error::Input)?,
                )?)
            }
            _ => return Err(unknown_event()),
        };
        if t.events.len() >= MAX_EVENTS {
            return Err(Error::Input(format!("the ticket has more than {MAX_EVENTS} events")));
        }
        t.events.push(Event { at, line: rec.line, kind });
        Ok(())
    }

    /// Answers the current ticket and writes its rows.
    pub(super) fn finish_ticket(&mut self) -> Result<()> {
        if self.ticket.first_line == 0 {
            return Ok(());
        }
        let mut t = std::mem::take(&mut self.ticket);
        if t.contiguous && !t.id.is_empty() {
            self.seen.insert(t.hash, t.last_line);
        }
        let outcome: Result<Option<TicketAnswer>> = match (t.error.take(), t.plan) {
            (Some(e), _) => Err(e),
            // Every event was after now, or there was none.
            (None, None) => Ok(None),
            (None, Some(plan)) => replay_with(plan, &t.events, self.opts.now.secs(), &mut self.scratch)
                .map_err(|e| Error::Input(e.to_string())),
        };
        match outcome {
            Ok(None) => {}
            Ok(Some(a)) => {
                if let Some(plan) = t.plan {
                    self.rows(&t, plan, &a);
                }
                self.scratch.rows = a.rows;
            }
            Err(e) => {
                self.summary.errors += 1;
                if self.opts.strict {
                    return Err(e.of(format!("ticket \"{}\"", cut(&t.id, 80))));
                }
                self.error_row(&t, &e.to_string());
            }
        }
        // Keep the buffers for the next ticket.
        self.ticket = t;
        self.ticket.first_line = 0;
        self.sink.commit(false)
    }
}

impl<S: Out> Replay<'_, '_, S> {
    /// A ticket's error row, counted.
    fn error_row(&mut self, t: &Ticket<'_>, e: &str) {
        self.summary.rows += 1;
        self.sink.error_row(t, e);
    }

    /// An answered ticket's rows, counted.
    fn rows(&mut self, t: &Ticket<'_>, plan: &Plan, a: &TicketAnswer) {
        let priority = a.priority.and_then(|i| plan.priorities.get(i)).map_or("", |p| p.name.as_str());
        for r in &a.rows {
            self.summary.rows += 1;
            match r.state {
                ClockState::Breached => self.summary.breached += 1,
                ClockState::AtRisk => self.summary.at_risk += 1,
                ClockState::Missed => self.summary.missed += 1,
                ClockState::Paused => self.summary.paused += 1,
                _ => {}
            }
            self.sink.cycle_row(t, plan, priority, r);
        }
    }
}

/// Plan and priority names already looked up, with what they named: an
/// export names the same few plans and priorities on every ticket, and each
/// look-up lowercases the name (and may search every alias). Only names
/// that were found are kept; the list is emptied when full, so odd exports
/// cost no more than without it.
#[derive(Default)]
pub(super) struct Lookups<'p> {
    plans: Vec<(String, &'p Plan)>,
    priorities: Vec<(&'p Plan, String, Option<usize>)>,
}

/// Names each list of [`Lookups`] keeps.
const LOOKUPS: usize = 64;

impl<'p> Lookups<'p> {
    /// `plans.get(name)`, remembered when found.
    fn plan(&mut self, plans: &'p PlanSet, name: &str) -> Result<&'p Plan> {
        if let Some((_, p)) = self.plans.iter().find(|(n, _)| n == name) {
            return Ok(p);
        }
        let p = plans.get(name)?;
        if self.plans.len() == LOOKUPS {
            self.plans.clear();
        }
        self.plans.push((name.to_string(), p));
        Ok(p)
    }

    /// [`priority_index`], remembered when found.
    fn priority(&mut self, plan: &'p Plan, name: &str) -> Result<Option<usize>> {
        if let Some((_, _, i)) = self.priorities.iter().find(|(p, n, _)| std::ptr::eq(*p, plan) && n == name) {
            return Ok(*i);
        }
        let i = priority_index(plan, name)?;
        if self.priorities.len() == LOOKUPS {
            self.priorities.clear();
        }
        self.priorities.push((plan, name.to_string(), i));
        Ok(i)
    }
}

/// A priority name of `plan` as an index; empty: the plan's only target
/// (no levels, or all levels alike).
pub(super) fn priority_index(plan: &Plan, name: &str) -> Result<Option<usize>> {
    let expected = || {
        let names = plan.priority_names();
        if names.is_empty() { "none: this plan has no priority levels".to_string() } else { names.join(", ") }
    };
    if name.is_empty() {
        if plan.priorities.is_empty() {
            return Ok(None);
        }
        if plan.priority_optional() {
            return Ok(Some(0));
        }
        return Err(Error::Input(format!("plan {} needs a priority (expected one of: {})", plan.id, expected())));
    }
    let found = plan.priority(name).and_then(|p| plan.priorities.iter().position(|q| std::ptr::eq(q, p)));
    match found {
        Some(i) => Ok(Some(i)),
        None => Err(Error::Input(format!(
            "unknown priority \"{}\" for plan {} (expected one of: {})",
            cut(name, 80),
            plan.id,
            expected()
        ))),
    }
}
