//! The command line, as clap derive structs. Nothing here reaches the library:
//! `cli::run` turns these into validated requests first.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::format::{self, CalendarFormat, Format, FormatParser, ReportFormat, RowsFormat};

const EXAMPLES: &str = "\
Examples:
  slacalc plans list
  slacalc deadline --plan gold --priority major --opened \"2026-11-20 17:30\"
  slacalc status --plan gold --priority p1 --opened \"2026-11-20 17:30\" --check
  slacalc calendar --plan gold --from 2026-12-21
  slacalc deadline --plan paying --opened now --format json

Exit codes: 0 answered; 1 the answer to a --check question is \"no\"; 2 bad input
or usage (message on stderr, nothing on stdout).

The shipped plans are built in; load your own with --plans or SLACALC_PLANS.
`slacalc COMMAND --help` shows a command's options and examples; `slacalc man`
prints the manual page. JSON fields: docs/json.md.";

/// SLA calculator: deadlines, status, quotas and credits from support-plan files.
///
/// slacalc answers from declarative plan files (TOML) with one working-hours
/// engine: time zones, split days, holidays, DST, business days, 24x7 clocks
/// and pauses. Eleven vendors' plans are built in (`slacalc plans list`).
#[derive(Debug, Parser)]
#[command(name = "slacalc", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Help heading of the options every command accepts.
const GLOBAL: &str = "Global options";

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct Global {
    /// Load more plan files: a .toml file or a directory of them; one path per
    /// --plans, taken as given (repeatable). Without --plans, SLACALC_PLANS is
    /// read: paths joined with ':', empty parts ignored. A plan id defined again
    /// overrides the embedded one.
    // Not clap's `env`/`value_delimiter`: they split the flag on ':' too, and
    // an empty SLACALC_PLANS would fail every command; `Ctx::from` reads it.
    #[arg(long = "plans", value_name = "PATH", global = true, help_heading = GLOBAL)]
    pub plans: Vec<PathBuf>,
    /// Fix "now" for reproducible runs (RFC 3339, or local time read in --tz,
    /// else the plan's zone; default: the system clock). SLACALC_NOW sets it
    /// for a whole script and must carry an offset (…Z, …+01:00).
    #[arg(long, value_name = "TIME", global = true, help_heading = GLOBAL)]
    pub now: Option<String>,
    /// Print times in, and read local times typed on the command line in,
    /// this IANA zone, e.g. America/New_York (default: the plan calendar's
    /// zone). Times inside a batch file are read with --input-tz.
    #[arg(long, value_name = "ZONE", global = true, help_heading = GLOBAL)]
    pub tz: Option<String>,
    /// Print times in UTC (RFC 3339 with Z).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub utc: bool,
    /// Output format (JSON fields are documented in docs/json.md).
    /// (default: table; csv for batch)
    // Not global: each command has its own `--format` (its values only);
    // this one takes the position before the command, read by
    // `format::chosen` once the command is known.
    #[arg(id = "format_before", long = "format", value_name = "FORMAT", value_parser = format::any(), help_heading = GLOBAL)]
    pub format: Option<String>,
}

impl Cli {
    /// Parses a command line (`args[0]` is the program) as
    /// `Cli::try_parse_from` does, with the same result and the same help
    /// and error text, but cheaper for the common case of one command with
    /// its own arguments.
    ///
    /// clap's derive builds the definition of every command (some 200
    /// arguments, their help text, the globals copied into each command)
    /// before it reads a word, which was a fifth of a `deadline` call. Here
    /// a first try defines only the global options and the one command the
    /// line names (see [`Cli::lean_parse`]); only when that try does not
    /// give an answer (help, `--version`, a usage error, a command without
    /// its own argument struct) is the line parsed again with every command
    /// defined, so help and errors are exactly clap's. The command trees are
    /// not dropped: freeing their thousands of small allocations cost as
    /// much as the lean parse, and the process exits soon after.
    ///
    /// # Errors
    /// clap's: help and version (to print), or a usage error.
    pub fn parse_args(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
        use clap::{CommandFactory as _, FromArgMatches as _};
        if let Some(cli) = Cli::lean_parse(args) {
            return Ok(cli);
        }
        let mut command = Cli::command();
        let parsed = command
            .try_get_matches_from_mut(args)
            .and_then(|mut m| Cli::from_arg_matches_mut(&mut m).map_err(|e| e.format(&mut Cli::command())));
        std::mem::forget(command);
        parsed
    }

    /// The first try of [`Cli::parse_args`]: a command tree with the global
    /// options (as [`Cli`] defines them) and only the command named by the
    /// first word of `args` that is one, with its own arguments (as its
    /// variant of [`Command`] defines them). `None` unless that tree parses
    /// the line into that very command.
    ///
    /// Why an answer here is the full parse's answer: up to the command's
    /// name, both trees read the same global options; the name then selects
    /// the same definition in both; what follows is parsed by it alone. The
    /// variant's help text (about, examples) is left out, as it only shows
    /// in help, which is never answered here. A word taken for the command
    /// that is in fact an option's value (`--tz deadline`) gives another
    /// parse than the full one, and so `None`: the full parse answers.
    fn lean_parse(args: &[std::ffi::OsString]) -> Option<Cli> {
        use clap::FromArgMatches as _;
        let name = args.iter().skip(1).find_map(|a| LEAN.iter().find(|(n, _)| a.to_str() == Some(n)))?;
        let (name, define) = *name;
        let mut command = Global::augment_args(clap::Command::new("slacalc")).subcommand(define(name));
        let parsed = command.try_get_matches_from_mut(args).ok().and_then(|mut m| {
            if m.subcommand_name() != Some(name) {
                return None;
            }
            Cli::from_arg_matches_mut(&mut m).ok()
        });
        std::mem::forget(command);
        parsed
    }
}

/// A command definition with its own arguments only, from its name.
type Define = fn(&'static str) -> clap::Command;

/// The commands [`Cli::lean_parse`] can define alone: each variant of
/// [`Command`] holding its own argument struct, with that struct's
/// arguments. (The others, with nested commands or fields of their own, are
/// short to parse in full and rarely called in loops.) A variant added to
/// [`Command`] without a row here is still parsed, fully;
/// `lean_parse_gives_the_full_parse` checks each row's name.
const LEAN: &[(&str, Define)] = &[
    ("deadline", |n| DeadlineArgs::augment_args(clap::Command::new(n))),
    ("status", |n| StatusArgs::augment_args(clap::Command::new(n))),
    ("quota", |n| QuotaArgs::augment_args(clap::Command::new(n))),
    ("credit", |n| CreditArgs::augment_args(clap::Command::new(n))),
    ("entitlements", |n| EntitlementsArgs::augment_args(clap::Command::new(n))),
    ("calendar", |n| CalendarArgs::augment_args(clap::Command::new(n))),
    ("batch", |n| BatchArgs::augment_args(clap::Command::new(n))),
    ("replay", |n| ReplayArgs::augment_args(clap::Command::new(n))),
    ("report", |n| ReportArgs::augment_args(clap::Command::new(n))),
    ("check", |n| CheckArgs::augment_args(clap::Command::new(n))),
    ("man", |n| ManArgs::augment_args(clap::Command::new(n))),
];

impl Command {
    /// The command's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Deadline(_) => "deadline",
            Command::Status(_) => "status",
            Command::Quota(_) => "quota",
            Command::Credit(_) => "credit",
            Command::Entitlements(_) => "entitlements",
            Command::Calendar(_) => "calendar",
            Command::Plans { .. } => "plans",
            Command::Profiles { .. } => "profiles",
            Command::Holidays { .. } => "holidays",
            Command::Batch(_) => "batch",
            Command::Replay(_) => "replay",
            Command::Report(_) => "report",
            Command::Check(_) => "check",
            Command::Completions { .. } => "completions",
            Command::Man(_) => "man",
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// When is the first response due?
    #[command(after_help = "\
Examples:
  slacalc deadline --plan gold --priority major --opened \"2026-11-20 17:30\"
  slacalc deadline --plan premium --priority critical \\
    --opened 2026-03-29T01:30:00+01:00 --format json
  slacalc deadline --plan paying --opened \"2026-11-20 10:00\" \\
    --pause \"2026-11-20 11:00/2026-11-23 10:00\" --explain

Times are RFC 3339 or local (\"2026-11-20 17:30\", read in --tz, else the plan's
zone). A ticket opened outside working hours starts the clock at the next
opening; a target used up exactly at a window's end is due at that end.")]
    Deadline(DeadlineArgs),
    /// How much of the SLA clock is used; is it breached?
    #[command(after_help = "\
Examples:
  slacalc status --plan gold --priority major --opened \"2026-11-20 17:30\" \\
    --now \"2026-11-23 12:00\"
  slacalc status --plan cloud --priority down --opened \"2026-11-20 09:00\" \\
    --responded \"2026-11-20 09:45\"
  slacalc status --plan silver --priority minor --opened \"2026-11-16 09:00\" \\
    --check || echo breached
  slacalc --plans examples/lifecycle-vendor.toml status --plan nimbus \\
    --priority normal --metric next_response \\
    --opened \"2026-11-16 12:00\" --responded \"2026-11-16 13:30\"

--metric picks the clock; what --opened and the stop flag mean follows it:
  first_response  --opened: ticket created     --responded: first agent reply
  next_response   --opened: the CUSTOMER'S REPLY that started the cycle
                  --responded: the agent's answer to it
  resolution      --opened: ticket created     --resolved: ticket solved
(one cycle at a time; for a ticket's whole history use replay).

States: running; paused (now inside a --pause, target not reached); at-risk
from 75 % used, or the plan's at_risk_percent (and at the deadline itself);
breached once now is past the deadline; met / missed once --responded (or
--resolved) is given; no-commitment for best-effort plans (--check never fails
on those).")]
    Status(StatusArgs),
    /// How many support requests / hours are left in the period?
    #[command(after_help = "\
Examples:
  slacalc quota --plan basic --used 3
  slacalc quota --plan cloud --subscription \"CHF 12500\" --used 4h30m \\
    --period-start 2026-03-01
  slacalc quota --plan onprem --subscription 12500 \\
    --log examples/request-log.csv --at \"2026-11-20 12:00\"
  slacalc quota --plan gold --allowance 10 --used 9.5 --check || echo exhausted
  slacalc quota --plan onprem --subscription 12500 \\
    --log requests-excel.csv --delimiter ';'

--log FILE is a CSV with a header row: opened,hours,kind (hours and kind
optional; kinds the plan excludes, e.g. bug or global, do not count; another
separator with --delimiter). Only rows opened in the period that holds --at
count. See plans/README.md.")]
    Quota(QuotaArgs),
    /// What does the vendor owe for downtime?
    #[command(after_help = "\
Examples:
  slacalc credit --plan cloud --subscription 12500 \\
    --outage \"2026-03-01 08:00/2026-03-02 09:30\"
  slacalc credit --plan cloud --subscription \"CHF 12500\" \\
    --outages examples/outages.csv --period-start 2026-01-01 --format json
  slacalc credit --plan cloud --subscription 12500 --outages o.csv --check
  slacalc credit --plan cloud --subscription 12500 --outages o.tsv \\
    --delimiter tab

--outages FILE is a CSV with a header row: start,end (another separator with
--delimiter). Outages are clipped to the period and overlapping ones merged;
uptime is measured on a 24x7 clock.")]
    Credit(CreditArgs),
    /// What does a plan include (channels, features, retention)?
    #[command(after_help = "\
Examples:
  slacalc entitlements --plan premium
  slacalc entitlements --plan basic --check live-chat || echo \"not included\"
  slacalc entitlements --plan gold --format json")]
    Entitlements(EntitlementsArgs),
    /// Week by week, when is the vendor open? Working windows, holidays, DST.
    #[command(after_help = "\
Examples:
  slacalc calendar --plan gold
  slacalc calendar --plan cirrus-paying --from 2026-12-21 --weeks 3
  slacalc calendar --plan cloud --from 2026-03-23 --tz America/New_York
  slacalc calendar --plan gold --weeks 52 --format json > apizee-2026.json

One row per day in the plan calendar's zone (times shown in --tz if given):
the working windows, hours open, and notes: holidays by name, date overrides,
breaks between windows (a lunch gap) and DST changes (clocks go forward:
+01:00 → +02:00). Priorities on a 24x7 clock do not use this calendar.")]
    Calendar(CalendarArgs),
    /// List, show and compare plans (`plans` alone lists them).
    #[command(after_help = "\
Examples:
  slacalc plans
  slacalc plans show otter-premium
  slacalc plans compare bronze silver gold
  slacalc --plans examples/acme-full.toml plans list

Plans come from the binary (origin embedded:FILE) and from --plans PATH or
SLACALC_PLANS=dir1:dir2 (origin: the file path); a plan id defined again in a
later file overrides the earlier one.")]
    Plans {
        /// What to do (default: list).
        #[command(subcommand)]
        command: Option<PlansCommand>,
        /// Output format (default: table; JSON fields: docs/json.md).
        #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("plans"), global = true)]
        format: Option<Format>,
    },
    /// List and print the built-in profiles (`--profile zendesk`): column and
    /// value maps of helpdesks' ticket exports (`profiles` alone lists them).
    #[command(after_help = "\
Examples:
  slacalc profiles
  slacalc profiles show zendesk > my-zendesk.toml
  slacalc batch --profile my-zendesk.toml --input export.csv

`--profile NAME` (no / and no .toml) uses a built-in profile; `profiles show`
prints its file, ready to copy and edit. The format is described in full in
docs/profiles.md.")]
    Profiles {
        /// What to do (default: list).
        #[command(subcommand)]
        command: Option<ProfilesCommand>,
        /// Output format (default: table; JSON fields: docs/json.md).
        #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("profiles"), global = true)]
        format: Option<Format>,
    },
    /// The holiday library: every set, and the days of one.
    #[command(after_help = "\
Examples:
  slacalc holidays list
  slacalc holidays show de-by --from 2027 --to 2027
  slacalc holidays show in-ka --format json

Sets are named by ISO 3166 code, `cc` or `cc-sub` (case-insensitive). The 12
law-checked sets (tier checked) win over the generated ones (tier generated,
from python-holidays) of the same id. Use one in a plan calendar with
holidays = [\"pl\"]. A generated set holds from 2000 (python-holidays is
checked from there) and, with a horizon, has lunar or announced holidays up
to that year only: asking for an earlier or a later year is an error.")]
    Holidays {
        /// What to do (default: list).
        #[command(subcommand)]
        command: Option<HolidaysCommand>,
        /// Output format (default: table; JSON fields: docs/json.md).
        #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("holidays"), global = true)]
        format: Option<Format>,
    },
    /// Run a ticket export (CSV) through deadline and status, one row per ticket.
    #[command(after_help = "\
Input: CSV with a header row id,plan,priority,opened[,responded][,resolved]
[,responded_after][,resolved_after][,pauses]; more columns pass through
unchanged. `pauses` holds FROM/TO;FROM/TO. Local times in the file are read in
--input-tz, else each row's plan zone (--ambiguous decides a time the clocks
go back over; a time in the spring gap is an error); --tz and --utc only
change how times are printed. A local --now needs --tz.

Metrics: --metric first_response (default) stops each row's clock at its
`responded` time, --metric resolution at `resolved`, on the priority's target
for that metric (a priority without one: no-commitment). Where the stop is
empty, `responded_after` / `resolved_after` give it as opened + a duration: a
number of minutes (a profile's duration_unit: seconds, minutes or hours;
decimals allowed) or 1h30m. With neither column a note says every ticket is
measured as unanswered as of now.

As of now: a stop after --now has not happened yet (the ticket is still
running); a row opened after --now is left out and counted in a note
(--strict: an error instead). --from/--to DATE keep the rows opened in that
range (dates in the plan's zone, --to inclusive). Rows out = rows in minus
those left out.

Output: CSV (default) or JSON Lines (--format json):
id,plan,priority,metric,opened,deadline,responded,state,elapsed_seconds,
remaining_seconds,error, then the extra input columns; with --metric
resolution the stop column is named resolved. A bad row gets its message in
`error` and the rest go on; a summary goes to stderr.

Exit codes: 0 done (error rows included); 1 with --max-errors N when more than
N rows are error rows (the output is complete); 2 bad input or usage, or with
--strict the first bad row (nothing on stdout).

Examples:
  slacalc batch --input examples/tickets.csv --now 2026-11-23T12:00:00+01:00
  cat tickets.csv | slacalc batch --input - --format json > due.jsonl
  slacalc batch --input tickets.csv --strict || echo 'fix the export first'
  slacalc batch --input tickets.csv --max-errors 0 || echo 'some rows failed'
  slacalc batch --profile examples/profiles/zendesk-tickets.toml \\
    --input export.csv
  slacalc batch --input export.csv --metric resolution \\
    --columns 'resolved=\"Solved at\"' --from 2026-11-01 --to 2026-11-30
  slacalc batch --input export.csv --plan gold --priority p2 \\
    --columns 'id=\"Ticket ID\",opened=\"Created at\",responded_after=\"Reply min\"' \\
    --delimiter ';' --time-format '%d/%m/%Y %H:%M' --ambiguous earlier")]
    Batch(BatchArgs),
    /// Replay ticket event histories: every SLA clock of every ticket
    /// (first response, next responses, resolution), one row per cycle.
    #[command(after_help = "\
Input: CSV with a header row id,at,event,value[,plan,priority], or JSON Lines
with those fields. Events: created (plan and priority from their columns, or
--plan / --priority), reply (value agent or customer), status (value a status
name: new, open, pending, waiting, hold, on-hold, solved, resolved, closed, or
the plan's own), priority (value a priority of the ticket's plan). A ticket's
events are contiguous and in time order. Events after --now are ignored. Local
times in the file are read in --input-tz, else the ticket plan's zone; a local
--now needs --tz. Output: CSV (default) or JSON Lines (--format json), one row
per ticket, metric and cycle: id,plan,priority,metric,cycle,start,stop,target,
target_seconds,clock,deadline,elapsed_seconds,paused_seconds,remaining_seconds,
state,error. A ticket that cannot be replayed gets one row with its error.

Event exports, read as the products' APIs write them (docs/event-exports.md):
  --input-format zendesk-events   Zendesk's Incremental Ticket Event Export
    (GET /api/v2/incremental/ticket_events, with or without
    include=comment_events): one page, pages one after the other, or ticket
    events one per line. The Create update gives created (its priority; its
    organization_id as plan when the profile has [values.plan] or no --plan
    is given) and the initial status; a Change of status or priority gives
    status or priority; a public Comment gives reply, customer when its author
    (author_id, else the update's updater_id) is the requester, else agent.
    Private comments, the creating update's comment (the description) and all
    other child events are skipped. Events are grouped by ticket, in time order.
  --input-format jira-changelog   Jira issues from the search API with
    expand=changelog (or issues with their changelog, one after the other):
    fields.created gives created, with the priority and status the issue had
    then (the first change's fromString, else the current value; the project
    key as plan, as above); each changelog item on status or priority gives
    status or priority (toString); each comment gives reply, customer when
    its author is the reporter, else agent; jsdPublic false or a visibility
    restriction is internal and skipped.
  Both are read whole (at most 256 MiB). The value maps of --profile apply to
  the raw values ([values.plan] to organization ids or project keys,
  [values.priority] and [values.status] to the product's names). A record of
  the wrong shape is exit 2 naming the ticket and event (or the issue key).
  In error rows, \"line N\" counts the converted events.

Exit codes: 0 done (error rows included); 1 with --max-errors N when more than
N tickets are error rows (the output is complete); 2 bad input or usage, or
with --strict the first ticket that cannot be replayed (nothing on stdout).

Examples:
  slacalc --plans examples/lifecycle-vendor.toml replay \\
    --input examples/ticket-events.csv --now 2026-11-27T18:00:00+01:00
  slacalc replay --input events.jsonl --plan gold --format json > cycles.jsonl
  slacalc replay --input events.csv --strict || echo 'fix the export first'
  slacalc replay --input events.csv --max-errors 5 --ambiguous later
  slacalc replay --input ticket_events.json --input-format zendesk-events \\
    --profile zendesk-events.toml
  slacalc replay --input issues.json --input-format jira-changelog \\
    --plan gold --profile jira-changelog.toml")]
    Replay(ReplayArgs),
    /// Sum up batch or replay output per group: counts per state, attainment,
    /// percentiles; as a table, JSON, CSV, an HTML page or OpenMetrics.
    #[command(after_help = REPORT_HELP)]
    Report(ReportArgs),
    /// Validate plan files (all loaded plans when no file is given).
    #[command(after_help = "\
Examples:
  slacalc check examples/acme-full.toml
  slacalc check my-plans/*.toml
  slacalc --plans ./my-plans check

A bad file exits 2 with file:line:column, the offending line and what was
expected. See plans/README.md for the format.")]
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "\
Examples:
  slacalc completions bash > ~/.local/share/bash-completion/completions/slacalc
  slacalc completions zsh > ~/.zfunc/_slacalc   # with fpath+=(~/.zfunc)
  slacalc completions fish > ~/.config/fish/completions/slacalc.fish
  slacalc completions powershell >> $PROFILE")]
    Completions {
        /// The shell to write a completion script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        /// Accepted for scripts that give it to every command; the script is
        /// written as it is.
        #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("completions"))]
        format: Option<Format>,
    },
    /// Print the manual page (roff), generated from this help.
    #[command(after_help = "\
Examples:
  slacalc man > slacalc.1 && man ./slacalc.1
  slacalc man deadline | man -l -
  slacalc man --dir ~/.local/share/man/man1    # every page; then: man slacalc")]
    Man(ManArgs),
}

/// `calendar`
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Plan id or alias (case-insensitive); its business calendar is shown.
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// First day shown: YYYY-MM-DD or `today` (default: Monday of the week
    /// holding --now, in the plan's zone).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// How many weeks (7-day blocks) to show, 1 to 520.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub weeks: u32,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<CalendarFormat>::new("calendar"))]
    pub format: Option<CalendarFormat>,
}

/// `man`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print this subcommand's page instead (e.g. `deadline`, `plans show`).
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Write every page (slacalc.1, slacalc-deadline.1, …) into DIR instead of
    /// printing one.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
    /// Accepted for scripts that give it to every command; the page is
    /// written as it is.
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("man"))]
    pub format: Option<Format>,
}

/// Which ticket.
#[derive(Debug, Args)]
pub struct TicketArgs {
    /// Plan id or alias (case-insensitive).
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// Priority name, alias or p1..pN (optional when the plan's target does not depend on it).
    #[arg(long, value_name = "NAME")]
    pub priority: Option<String>,
    /// Stop the clock during FROM/TO (repeatable), e.g. while waiting on the
    /// customer: "2026-11-20 11:00/2026-11-23 10:00".
    #[arg(long = "pause", value_name = "FROM/TO")]
    pub pauses: Vec<String>,
    /// Show each working window the clock ran through, with the running total,
    /// the holidays and pauses skipped and the rules applied.
    #[arg(long)]
    pub explain: bool,
}

/// `deadline`
#[derive(Debug, Args)]
pub struct DeadlineArgs {
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArgs,
    /// When the clock started: the ticket's creation, or with --metric
    /// next_response the customer's reply. RFC 3339, local time or `now`.
    #[arg(long, value_name = "TIME", default_value = "now")]
    pub opened: String,
    /// Which clock: first_response (default), next_response (--opened is then
    /// the customer's reply) or resolution.
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<CalendarFormat>::new("deadline"))]
    pub format: Option<CalendarFormat>,
}

/// `status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The ticket.
    #[command(flatten)]
    pub ticket: TicketArgs,
    /// When the clock started: the ticket's creation, or with --metric
    /// next_response the customer's reply. RFC 3339 or local time.
    #[arg(long, value_name = "TIME")]
    pub opened: String,
    /// When the first response (with --metric next_response: the agent's
    /// answer to the customer's reply) was sent, if it was (the state becomes
    /// met or missed).
    #[arg(long, value_name = "TIME")]
    pub responded: Option<String>,
    /// Which clock: first_response (default), next_response (--opened is then
    /// the customer's reply, --responded the agent's answer) or resolution.
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    /// With --metric resolution: when the ticket was solved (met or missed).
    #[arg(long, value_name = "TIME", conflicts_with = "responded")]
    pub resolved: Option<String>,
    /// Exit 1 when the ticket is breached or the response missed the deadline.
    #[arg(long)]
    pub check: bool,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<CalendarFormat>::new("status"))]
    pub format: Option<CalendarFormat>,
}

/// `profiles …`
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// One line per built-in profile: its name, the export it reads, its source.
    #[command(after_help = "\
Examples:
  slacalc profiles list
  slacalc profiles list --format json")]
    List,
    /// Print a built-in profile's file, ready to copy and edit.
    #[command(after_help = "\
Examples:
  slacalc profiles show zendesk
  slacalc profiles show jira > my-jira.toml")]
    Show {
        /// Built-in profile name (zendesk, jira, freshdesk).
        #[arg(value_parser = ["freshdesk", "jira", "zendesk"])]
        name: String,
    },
}

/// `plans …`
#[derive(Debug, Subcommand)]
pub enum PlansCommand {
    /// One line per loaded plan, with where it came from.
    #[command(after_help = "\
Examples:
  slacalc plans list
  slacalc --plans examples/acme-full.toml plans list
  slacalc plans list --format json")]
    List,
    /// Everything about one plan: targets, calendar, quota, credits, entitlements.
    #[command(after_help = "\
Examples:
  slacalc plans show otter-premium
  slacalc plans show gold --format json
  slacalc --plans examples/acme-full.toml plans show acme

Figures the vendor does not publish are marked (assumed), with the reason.")]
    Show {
        /// Plan id or alias.
        plan: String,
    },
    /// Several plans side by side.
    #[command(after_help = "\
Examples:
  slacalc plans compare bronze silver gold
  slacalc plans compare basic extended premium --format csv")]
    Compare {
        /// Plan ids or aliases (at least two).
        #[arg(id = "plan_names", value_name = "PLAN", num_args = 2.., required = true)]
        plans: Vec<String>,
    },
}

/// `holidays …`
#[derive(Debug, Subcommand)]
pub enum HolidaysCommand {
    /// Every holiday set: id, name, tier (checked or generated), first year and horizon.
    #[command(after_help = "\
Examples:
  slacalc holidays list
  slacalc holidays list --format csv | grep '^de'")]
    List,
    /// The holidays of one set, observed days included, over whole years.
    #[command(after_help = "\
Examples:
  slacalc holidays show pl
  slacalc holidays show de-by --from 2027 --to 2027
  slacalc holidays show us --from 2026 --to 2028 --format json

The years default to the year of --now. A year before the set's first year
(2000 for a generated set) or past its horizon is an error naming the set.")]
    Show {
        /// Holiday set id, e.g. pl, de-by, us-ca, in-ka.
        #[arg(value_name = "SET", value_parser = SetIdParser, hide_possible_values = true)]
        set: String,
        /// First year shown (default: the year of now).
        #[arg(long, value_name = "YEAR")]
        from: Option<i32>,
        /// Last year shown (default: --from, else the year of now).
        #[arg(long, value_name = "YEAR")]
        to: Option<i32>,
    },
}

/// Takes any set id (a user's file may define one), and offers the shipped
/// ids to shell completion.
#[derive(Debug, Clone, Copy)]
pub struct SetIdParser;

impl clap::builder::TypedValueParser for SetIdParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let ids = slacalc::world::all().map(|w| w.id).chain(["france"]);
        Some(Box::new(ids.map(clap::builder::PossibleValue::new)))
    }
}

/// `batch`
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The CSV export to read, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub input: PathBuf,
    /// Stop at the first bad row (exit 2, naming its line) instead of reporting it in `error`;
    /// a row opened after --now is then an error too, instead of being left out.
    #[arg(long)]
    pub strict: bool,
    /// Read the file's local times (no offset) in this IANA zone (default:
    /// each row's plan zone). --tz and --utc only change how times are printed.
    #[arg(long, value_name = "ZONE")]
    pub input_tz: Option<String>,
    /// Plan of rows whose plan column is empty or absent.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    /// Priority of rows whose priority column is empty or absent.
    #[arg(long, value_name = "NAME")]
    pub priority: Option<String>,
    /// Answer rows on N threads, 0 to 64 (0: one per core, at most 64); the output and exit code are the same
    /// as with one job, in the same order. More than 64 is refused: the reading thread is the limit well before.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = parse_jobs)]
    pub jobs: usize,
    /// Which clock each row measures: first_response (default; stops at the
    /// `responded` column, or opened + `responded_after`) or resolution
    /// (stops at `resolved`, or opened + `resolved_after`; the priority's
    /// `resolution` target, no-commitment where it has none).
    #[arg(long, value_name = "NAME", value_parser = ["first_response", "resolution"])]
    pub metric: Option<String>,
    /// Keep only rows opened on or after DATE (YYYY-MM-DD, in the row's plan
    /// zone); the others are left out and counted in a note.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Keep only rows opened on or before DATE (YYYY-MM-DD, in the row's plan
    /// zone, the whole day included); the others are left out and counted.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Exit 1 when more than N rows are error rows (the output is still
    /// complete); without it, error rows never change the exit code.
    #[arg(long, value_name = "N")]
    pub max_errors: Option<u64>,
    /// How the export is written.
    #[command(flatten)]
    pub export: ExportArgs,
    /// Output format: csv (default) or JSON Lines (json).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<RowsFormat>::new("batch"))]
    pub format: Option<RowsFormat>,
}

/// How an export is written: its column names, value names, times and
/// separator.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Name the export's columns: id="Ticket ID",opened="Created at",…
    /// (over what --profile says).
    #[arg(long, value_name = "FIELD=COLUMN,…")]
    pub columns: Option<String>,
    /// A profile: a file (TOML, a path ending in .toml or holding a /) or a
    /// built-in profile (zendesk, jira, freshdesk: slacalc profiles list).
    /// Column names, value maps (organisation → plan, helpdesk priority →
    /// plan priority, per plan too; status → class or status name; event →
    /// kind or "ignore"; "*" for every other value), time format, delimiter
    /// and defaults. Format: docs/profiles.md.
    #[arg(long, value_name = "FILE|NAME")]
    pub profile: Option<PathBuf>,
    /// How times are written when not RFC 3339: a strftime pattern such as
    /// "%d/%b/%y %I:%M %p" or "%m/%d/%Y %H:%M", or unix (seconds).
    #[arg(long, value_name = "FORMAT")]
    pub time_format: Option<String>,
    /// Field separator: one character such as ';', or tab (default ',').
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// A local time in the file that happens twice (the hour the clocks go
    /// back): earlier or later occurrence, or reject (default: an error
    /// row). A time in the spring gap is always an error row.
    #[arg(long, value_name = "POLICY", value_parser = ["earlier", "later", "reject"])]
    pub ambiguous: Option<String>,
}

/// `replay`
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The event export to read, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub input: PathBuf,
    /// Plan of tickets whose created event names none.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    /// Priority of tickets whose created event names none.
    #[arg(long, value_name = "NAME")]
    pub priority: Option<String>,
    /// Stop at the first ticket that cannot be replayed (exit 2, naming its line).
    #[arg(long)]
    pub strict: bool,
    /// Read the file's local times (no offset) in this IANA zone (default:
    /// each ticket's plan zone). --tz and --utc only change how times are printed.
    #[arg(long, value_name = "ZONE")]
    pub input_tz: Option<String>,
    /// Input format (default: .jsonl / .ndjson files are JSON Lines, else a
    /// first non-blank byte `{`, else CSV); zendesk-events and
    /// jira-changelog read those products' API exports (see below).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<ReplayInputFormat>,
    /// Exit 1 when more than N tickets are error rows (the output is still
    /// complete); without it, error rows never change the exit code.
    #[arg(long, value_name = "N")]
    pub max_errors: Option<u64>,
    /// How the export is written.
    #[command(flatten)]
    pub export: ExportArgs,
    /// Output format: csv (default) or JSON Lines (json).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<RowsFormat>::new("replay"))]
    pub format: Option<RowsFormat>,
}

/// Input formats of `replay`: its own, and the event exports it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplayInputFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// Zendesk's Incremental Ticket Event Export (ticket_events with child_events).
    ZendeskEvents,
    /// Jira issues with their changelog (the search API's expand=changelog).
    JiraChangelog,
}

/// The help after `report`'s options.
const REPORT_HELP: &str = "\
Input: the output of batch or replay, CSV or JSON Lines (--input-format, else
.jsonl / .ndjson, else a first non-blank byte `{`). Per group: cycles (rows
without an error), met, missed, breached, running, at_risk, paused,
no_commitment, errors (a row with an error counts only there),
attainment_percent = met / (met + missed + breached) x 100 (two decimals; none
when that is 0), p50/p90/p95_seconds (nearest rank over the elapsed_seconds of
met and missed cycles) and mean_seconds (rounded down). JSON adds a `total`
with the same figures over every row. month, week (ISO, 2026-W47) and day are
the date of the cycle's start (batch: opened) as printed, in its own offset,
or in --tz ZONE (--utc: UTC). A batch row's metric is its metric column
(first_response in batch output written before the column).
Priorities of a loaded plan sort in the plan's order (p1 first), others after
them by name. The table leaves out the percentiles, then the rarer counts,
when the terminal (or COLUMNS, else 80) is too narrow; csv and json have all.
--now is refused: the rows are as of the batch or replay run that wrote them.

Examples:
  slacalc batch --input tickets.csv > due.csv && slacalc report --input due.csv
  slacalc report --input cycles.csv --by plan,month --format html > report.html
  slacalc report --input due.csv --by priority --format openmetrics > sla.prom
  slacalc report --input due.csv --check --min-attainment 95 || echo 'below 95 %'
  slacalc report --input due.csv --by plan,Organization --format json
  slacalc report --input due.csv --by day --tz America/New_York
  slacalc report --input due-excel.csv --delimiter ';' --by plan,week";

/// `report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The batch or replay output to read, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub input: PathBuf,
    /// Group by these keys, comma-separated: plan, priority, metric, month,
    /// week, day, or any other column of the input, such as a pass-through
    /// column of batch (Organization; case-insensitive). In OpenMetrics a
    /// column's label name is its name with each character outside
    /// [A-Za-z0-9_] made `_`, `col_` put before a name that starts with a
    /// digit or `__`, and `_2`, `_3`, … after one already used.
    #[arg(long, value_name = "KEYS", default_value = "plan,priority,metric")]
    pub by: String,
    /// Input format (default: .jsonl / .ndjson files are JSON Lines, else a
    /// first non-blank byte `{`, else CSV).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Field separator of a CSV input: one character such as ';', or tab
    /// (default ',').
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Exit 1 when a group's attainment is below --min-attainment (the
    /// report is still printed).
    #[arg(long, requires = "min_attainment")]
    pub check: bool,
    /// The lowest attainment, in percent (e.g. 95 or 99.5), that --check
    /// accepts; compared with the attainment as printed (two decimals).
    #[arg(long, value_name = "PERCENT", requires = "check", allow_hyphen_values = true)]
    pub min_attainment: Option<String>,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<ReportFormat>::new("report"))]
    pub format: Option<ReportFormat>,
}

/// Input formats of `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan files to validate (read after the embedded ones, so they may use
    /// the shipped holiday sets).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("check"))]
    pub format: Option<Format>,
}

/// `quota`
#[derive(Debug, Args)]
pub struct QuotaArgs {
    /// Plan id or alias (case-insensitive).
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// Used so far in the period: requests (3), or hours (4.5h, 4h30m, 4.5).
    #[arg(long, value_name = "N", conflicts_with = "log", allow_hyphen_values = true)]
    pub used: Option<String>,
    /// Read usage from a request log (CSV: opened,hours,kind; `-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Field separator of the --log file: one character such as ';', or tab
    /// (default ',').
    #[arg(long, value_name = "CHAR", requires = "log")]
    pub delimiter: Option<String>,
    /// Annual subscription, e.g. 12500, 12500.50, CHF12500, "CHF 12500".
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub subscription: Option<String>,
    /// First day of the subscription (YYYY-MM-DD); periods repeat from it
    /// (default: 1 January, or the calendar month/quarter/week).
    #[arg(long, value_name = "DATE")]
    pub period_start: Option<String>,
    /// Which period: the one holding this instant, or this date (YYYY-MM-DD).
    #[arg(long, value_name = "TIME", default_value = "now")]
    pub at: String,
    /// Override the plan's allowance (needed when the plan's amount is per contract).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub allowance: Option<String>,
    /// Exit 1 when the quota is exhausted or the next request would exceed it.
    #[arg(long)]
    pub check: bool,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("quota"))]
    pub format: Option<Format>,
}

/// `credit`
#[derive(Debug, Args)]
pub struct CreditArgs {
    /// Plan id or alias (case-insensitive).
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// Annual subscription, e.g. 12500, 12500.50, CHF12500, "CHF 12500".
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub subscription: Option<String>,
    /// First day of the measurement period (YYYY-MM-DD); default: the period
    /// holding now (for a year: 1 January).
    #[arg(long, value_name = "DATE")]
    pub period_start: Option<String>,
    /// An outage START/END (repeatable). No outage means 100 % uptime.
    #[arg(long = "outage", value_name = "START/END", conflicts_with = "outages")]
    pub outage: Vec<String>,
    /// Read outages from a CSV file with a start,end header (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub outages: Option<PathBuf>,
    /// Field separator of the --outages file: one character such as ';', or
    /// tab (default ',').
    #[arg(long, value_name = "CHAR", requires = "outages")]
    pub delimiter: Option<String>,
    /// Exit 1 when a credit is due (uptime below the threshold, or a long outage).
    #[arg(long)]
    pub check: bool,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("credit"))]
    pub format: Option<Format>,
}

/// `entitlements`
#[derive(Debug, Args)]
pub struct EntitlementsArgs {
    /// Plan id or alias (case-insensitive).
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
    /// Exit 0 if the plan includes FEATURE, 1 if not (e.g. live-chat, phone).
    #[arg(long, value_name = "FEATURE")]
    pub check: Option<String>,
    /// Output format (default: table; JSON fields: docs/json.md).
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser::<Format>::new("entitlements"))]
    pub format: Option<Format>,
}

/// `--jobs N`: 0 to [`slacalc::batch::MAX_JOBS`].
fn parse_jobs(s: &str) -> Result<usize, String> {
    let max = slacalc::batch::MAX_JOBS;
    let shown = slacalc::text::cut(s, 40);
    match s.trim().parse::<u128>() {
        Ok(n) if n <= max as u128 => usize::try_from(n).map_err(|e| e.to_string()),
        Ok(_) => Err(format!("{shown:?} is more threads than slacalc starts (expected 0 to {max}; 0 = one per core)")),
        Err(_) => Err(format!("{shown:?} is not a number of threads (expected 0 to {max}; 0 = one per core)")),
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory as _, Parser as _};

    use super::*;

    fn line(s: &[&str]) -> Vec<std::ffi::OsString> {
        std::iter::once("slacalc").chain(s.iter().copied()).map(Into::into).collect()
    }

    #[test]
    fn each_lean_command_is_its_variant() {
        // Each row of LEAN defines the command of that name with the very
        // arguments the full tree gives it (before the globals are copied in).
        let full = Cli::command();
        for (name, define) in LEAN {
            let want = full.find_subcommand(name).unwrap_or_else(|| panic!("{name}: no such command"));
            let ids = |c: &clap::Command| c.get_arguments().map(|a| a.get_id().to_string()).collect::<Vec<_>>();
            assert_eq!(ids(&define(name)), ids(want), "{name}");
        }
    }

    #[test]
    fn lean_parse_gives_the_full_parse() {
        let ok: &[&[&str]] = &[
            &["deadline", "--plan", "gold", "--priority", "major", "--opened", "2026-11-20 17:30", "--format", "json"],
            &["--format", "json", "deadline", "--plan", "gold", "--opened", "now"],
            &["--plans", "x.toml", "--plans", "deadline", "deadline", "--plan", "p", "--opened", "now"],
            &["--tz", "UTC", "status", "--plan", "gold", "--priority", "p1", "--opened", "now", "--utc"],
            &["status", "--plan", "gold", "--opened", "now", "--now", "2026-11-23T12:00:00Z", "--check"],
            &["quota", "--plan", "basic", "--used", "3"],
            &["credit", "--plan", "cloud", "--subscription", "12500", "--outage", "a/b"],
            &["entitlements", "--plan", "gold", "--check", "chat"],
            &["calendar", "--plan", "gold", "--weeks", "3"],
            &["batch", "--input", "-", "--jobs", "2"],
            &["replay", "--input", "-"],
            &["report", "--input", "-", "--format", "json"],
            &["check", "a.toml", "b.toml"],
            &["man"],
        ];
        for l in ok {
            let args = line(l);
            let full = Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("{l:?}: {e}"));
            let lean = Cli::lean_parse(&args).unwrap_or_else(|| panic!("{l:?}: not parsed lean"));
            assert_eq!(format!("{lean:?}"), format!("{full:?}"), "{l:?}");
        }
        // Help, version, errors, a word taken for another command than the
        // line's, and commands with nested ones: the full parse answers.
        let not: &[&[&str]] = &[
            &[],
            &["--help"],
            &["--version"],
            &["deadline", "--help"],
            &["deadline", "-h"],
            &["deadline"],
            &["deadline", "--plan"],
            &["deadline", "--plan", "gold", "--bogus"],
            &["deadline", "--plan", "gold", "--format", "xml"],
            &["--tz", "status", "deadline", "--plan", "gold", "--opened", "now"],
            &["help", "deadline"],
            &["deadlin", "--plan", "gold"],
            &["plans", "list"],
            &["completions", "bash"],
            &["profiles"],
        ];
        for l in not {
            let args = line(l);
            assert!(Cli::lean_parse(&args).is_none(), "{l:?}");
        }
        // And whichever way a line goes, parse_args answers as clap does.
        for l in ok.iter().chain(not) {
            let args = line(l);
            let want = Cli::try_parse_from(&args).map(|c| format!("{c:?}")).map_err(|e| e.to_string());
            let got = Cli::parse_args(&args).map(|c| format!("{c:?}")).map_err(|e| e.to_string());
            assert_eq!(got, want, "{l:?}");
        }
    }
}
