#!/usr/bin/env python3
"""Generates slacalc's world holiday sets (plans/world/*.toml) and their CI
fixture (tests/fixtures/world-holidays-2000-2050.txt.gz) from a pinned
python-holidays release. Run by hand, never in CI:

    python3 -m venv /tmp/hv && /tmp/hv/bin/pip install holidays==0.109
    /tmp/hv/bin/python scripts/gen-world-holidays.py

One file per country, `plans/world/CC.toml`, holding the set `cc` (the
country's public holidays, python-holidays with no subdivision) and one set
`cc-sub` per subdivision (lower case; spaces become `-`). Public holidays
only: python-holidays' default categories. Names in English where the
country has an English translation (en_US, else en_GB, else another en_*).

Each holiday name is written as rules where slacalc's grammar can say it:
a candidate (fixed date, Easter or Orthodox Easter offset, n-th or last
weekday, an n-th weekday moved by an offset) is kept only for a run of
years in which it gives exactly python-holidays' date every year, with
`since` / `until` where the run starts after GEN_FIRST or ends before
GEN_LAST. Observed days ("NAME (observed)") become an `observed` policy on
the rule when slacalc's resolution of the whole set (simulated here, as
src/engine/holiday.rs does it) gives exactly python-holidays' observed dates
every year of GEN_FIRST..GEN_LAST; otherwise they are listed. Everything
else (lunar calendars, announced and one-off days) goes into `dates` lists
up to the set's `horizon`: the last year for which python-holidays has data
for every recurring listed holiday (GEN_LAST at most). The whole set is
then simulated again and must give python-holidays' dates exactly, or the
script stops.

Every set also gets `data_from = GEN_FIRST`: its rules were compared with
python-holidays from that year on only and its `dates` lists start there,
so slacalc refuses a walk that needs an earlier year (as it refuses one
past the horizon). A generated set holds from GEN_FIRST to its horizon.
"""

import bisect
import datetime as dt
import gzip
import json
import multiprocessing
import os
import re
import sys
import unicodedata
from collections import defaultdict

import holidays
from dateutil.easter import EASTER_ORTHODOX, easter

PINNED = "0.109"
GEN_FIRST, GEN_LAST = 2000, 2060
FIX_FIRST, FIX_LAST = 2000, 2050
# A listed holiday seen in this many years is recurring (lunar); its last year
# bounds the horizon unless it ended in the past (abolished).
RECURRING_YEARS = 10
PAST = 2026
TODAY = os.environ.get("GEN_DATE", dt.date.today().isoformat())

ONE = dt.timedelta(days=1)
WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
POLICIES = ["nearest-weekday", "next-monday", "sunday-next-monday"]
OBSERVED = re.compile(r"^(.*) \(observed\)$")


def set_id(cc, sub):
    if sub is None:
        return cc.lower()
    s = unicodedata.normalize("NFKD", sub).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return f"{cc.lower()}-{s}"


def language(cls):
    langs = getattr(cls, "supported_languages", ()) or ()
    for want in ("en_US", "en_GB"):
        if want in langs:
            return want
    for lang in langs:
        if lang.startswith("en"):
            return lang
    return None


def py_dates(cc, sub, first, last):
    """{date: [names]} python-holidays gives in first..last (by date)."""
    cls = holidays.country_holidays(cc).__class__
    h = holidays.country_holidays(cc, subdiv=sub, years=range(first - 1, last + 2), language=language(cls))
    out = {}
    for d, n in h.items():
        if first <= d.year <= last:
            out[d] = sorted(set(x.strip() for x in n.split("; ")))
    return out, h


# ---- rules: evaluation, as src/engine/holiday.rs does it ----------------------

def nth_weekday(y, m, wd, n):
    if n == -1:
        last = (dt.date(y + (m == 12), m % 12 + 1, 1)) - ONE
        return last - dt.timedelta(days=(last.weekday() - wd) % 7)
    first = dt.date(y, m, 1)
    d = first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    return d if d.month == m else None


def rule_date(rule, y):
    """The date rule year y gives, or None."""
    kind = rule[0]
    try:
        if kind == "date":
            return dt.date(y, rule[1], rule[2])
        if kind == "easter":
            return easter(y) + dt.timedelta(days=rule[1])
        if kind == "orthodox_easter":
            return easter(y, EASTER_ORTHODOX) + dt.timedelta(days=rule[1])
        if kind == "nth":
            _, n, wd, m, off = rule
            d = nth_weekday(y, m, wd, n)
            return d + dt.timedelta(days=off) if d else None
    except ValueError:
        return None
    raise ValueError(rule)


def candidates(d):
    y = d.year
    out = [("date", d.month, d.day)]
    e = (d - easter(y)).days
    if -200 <= e <= 200:
        out.append(("easter", e))
    for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
        b = d - dt.timedelta(days=k)
        if b.year != y:
            continue
        # An offset must keep the date in its year whatever the year: only
        # from months away from the year's ends.
        if k != 0 and not (2 <= b.month <= 11 or (b.month == 1 and k > 0) or (b.month == 12 and k < 0)):
            continue
        n = (b.day - 1) // 7 + 1
        if n <= 4:
            out.append(("nth", n, b.weekday(), b.month, k))
        if (b + dt.timedelta(days=7)).month != b.month:
            out.append(("nth", -1, b.weekday(), b.month, k))
    o = (d - easter(y, EASTER_ORTHODOX)).days
    if -200 <= o <= 200:
        out.append(("orthodox_easter", o))
    return out


def fit(name_dates):
    """Rules (rule, since, until) and leftover dates for one name's dates."""
    remaining = set(name_dates)
    rules = []
    while remaining:
        d0 = min(remaining)
        best = None
        for c in candidates(d0):
            y0 = d0.year
            # the rule year that gives d0 (an Easter offset may cross a year)
            ry = next((y for y in (y0, y0 + 1, y0 - 1) if rule_date(c, y) == d0), None)
            if ry is None:
                continue
            matched = []
            y = ry
            while y <= GEN_LAST:
                r = rule_date(c, y)
                if r is not None and r not in remaining:
                    break
                if r is not None:
                    matched.append((y, r))
                y += 1
            if best is None or len(matched) > len(best[1]):
                best = (c, matched)
        if best is None or len(best[1]) < 3:
            break
        c, matched = best
        since, until = matched[0][0], matched[-1][0]
        rules.append((c, None if since <= GEN_FIRST else since, None if until >= GEN_LAST else until))
        for _, r in matched:
            remaining.discard(r)
        # the dates before d0 of this name are already placed
    return rules, sorted(remaining)


def rule_dates_in_range(rule, since, until):
    out = []
    for y in range(max(GEN_FIRST, since or GEN_FIRST) - 1, min(GEN_LAST, until or GEN_LAST) + 2):
        if since is not None and y < since or until is not None and y > until:
            continue
        d = rule_date(rule, y)
        if d is not None:
            out.append(d)
    return out


# ---- observed days, as ObservedSet::resolve_year does it ----------------------

def applies(how, d):
    wd = d.weekday()
    return wd == 6 if how == "sunday-next-monday" else wd >= 5


def first_try(how, d):
    if how == "nearest-weekday" and d.weekday() == 5:
        return d - ONE
    if d.weekday() == 5:
        return d + 2 * ONE
    return d + ONE


def simulate(entries, first, last):
    """entries: [(name, kind, payload, policy)] in set order; kind 'rule'
    (payload (rule, since, until)) or 'dates' (payload [dates]). Returns
    {date: set(names)} for first..last, observed days included."""
    per_entry = []
    for name, kind, payload, _ in entries:
        if kind == "rule":
            rule, since, until = payload
            ds = []
            for y in range(first - 2, last + 3):
                if since is not None and y < since or until is not None and y > until:
                    continue
                d = rule_date(rule, y)
                if d is not None:
                    ds.append(d)
            per_entry.append(ds)
        else:
            per_entry.append(list(payload))
    days = sorted(set((d, j) for j, ds in enumerate(per_entry) for d in ds))
    dates = [d for d, _ in days]
    out = defaultdict(set)
    for d, j in days:
        if first <= d.year <= last:
            out[d].add(entries[j][0])
    # observed
    obs = {}
    keyed = [(d, j) for d, j in days if entries[j][3] and applies(entries[j][3], d) and first - 1 <= d.year <= last + 1]
    for dn, jn in keyed:
        if (dn, jn) in obs:
            continue
        lo, hi = dn - dt.timedelta(days=31), dn + dt.timedelta(days=31)
        a, b = bisect.bisect_left(dates, lo), bisect.bisect_right(dates, hi)
        taken = set(dates[a:b])
        for x, j in days[a:]:
            if x > dn:
                break
            how = entries[j][3]
            if not how or not applies(how, x):
                continue
            t = first_try(how, x)
            while t.weekday() >= 5 or t in taken:
                t += ONE
            taken.add(t)
            if x == dn:
                obs[(x, j)] = t
    for (x, j), t in obs.items():
        if first <= t.year <= last:
            out[t].add(entries[j][0] + " (observed)")
    return out


# ---- one set --------------------------------------------------------------------

def build(cc, sub):
    py, h = py_dates(cc, sub, GEN_FIRST, GEN_LAST)
    by_name = defaultdict(list)
    for d, names in py.items():
        for n in names:
            by_name[n].append(d)
    observed_of = {}
    base = {}
    for n, ds in by_name.items():
        m = OBSERVED.match(n)
        if m and m.group(1) in by_name:
            observed_of[m.group(1)] = sorted(ds)
        else:
            base[n] = sorted(ds)
    entries = []  # (name, kind, payload, policy)
    listed = {}  # name -> dates
    for n in sorted(base, key=lambda n: (min(base[n]), n)):
        rules, left = fit(base[n])
        for r in rules:
            entries.append([n, "rule", r, None])
        if left:
            listed[n] = left
    # observed policies: the country's own rule first
    rule = getattr(h, "_observed_rule", None)
    guess = {
        "{6: 1}": "sunday-next-monday", "{6: 7}": "sunday-next-monday",
        "{5: 2, 6: 1}": "next-monday", "{5: 7, 6: 7}": "next-monday",
        "{5: -1, 6: 1}": "nearest-weekday", "{6: 1, 5: -1}": "nearest-weekday",
    }.get(str(rule))
    order = ([guess] if guess else []) + [p for p in POLICIES if p != guess]
    pending = {n for n in observed_of if any(e[0] == n and e[1] == "rule" for e in entries)}
    listed_names = {n: ds for n, ds in listed.items()}

    def with_listed(es):
        return es + [[n, "dates", ds, None] for n, ds in sorted(listed_names.items())] + \
            [[f"{n} (observed)", "dates", observed_of[n], None] for n in sorted(observed_of) if n not in pending]

    def obs_matches(es, n):
        sim = simulate(with_listed(es), GEN_FIRST, GEN_LAST)
        got = sorted(d for d, ns in sim.items() if f"{n} (observed)" in ns)
        return got == observed_of[n]

    # each name: the first policy that reproduces its observed days
    for n in sorted(pending, key=lambda n: min(observed_of[n])):
        ok = None
        for p in order:
            trial = [list(e) for e in entries]
            for e in trial:
                if e[0] == n and e[1] == "rule" and can_fall_on_weekend(*e[2]):
                    e[3] = p
            if obs_matches(trial, n):
                ok = trial
                break
        if ok:
            entries = ok
        else:
            pending.discard(n)
    # drop policies until the whole set matches (move-on interplay)
    while True:
        es = with_listed(entries)
        sim = simulate(es, GEN_FIRST, GEN_LAST)
        bad = [n for n in sorted(pending)
               if sorted(d for d, ns in sim.items() if f"{n} (observed)" in ns) != observed_of[n]]
        if not bad:
            break
        pending.discard(bad[0])
        for e in entries:
            if e[0] == bad[0]:
                e[3] = None
    # horizon from the recurring listed holidays
    all_listed = dict(listed_names)
    for n in observed_of:
        if n not in pending:
            all_listed[f"{n} (observed)"] = observed_of[n]
    horizon = None
    for n, ds in all_listed.items():
        years = {d.year for d in ds}
        if len(years) >= RECURRING_YEARS:
            last = max(years)
            if last > PAST:
                horizon = min(horizon or GEN_LAST, last if last < GEN_LAST - 1 else GEN_LAST)
    final = entries + [[n, "dates", [d for d in ds if horizon is None or d.year <= horizon], None]
                       for n, ds in sorted(all_listed.items())]
    final = [e for e in final if e[1] != "dates" or e[2]]
    # the whole set again: exactly python-holidays up to the horizon
    top = horizon or GEN_LAST
    sim = simulate(final, GEN_FIRST, top)
    want = {d: set(ns) for d, ns in py.items() if d.year <= top}
    if {d: ns for d, ns in sim.items() if ns} != want:
        diff = sorted(set(sim.items()) ^ set((d, frozenset(n)) for d, n in want.items()), key=str)[:5]
        raise SystemExit(f"{set_id(cc, sub)}: the generated set differs from python-holidays: {diff}")
    stats = {"rule": 0, "observed": 0, "dates": 0}
    for d, ns in py.items():
        if d.year > top:
            continue
        for n in ns:
            if n in all_listed:
                stats["dates"] += 1
            elif OBSERVED.match(n) and OBSERVED.match(n).group(1) in pending:
                stats["observed_" + policy_of(final, OBSERVED.match(n).group(1))] = \
                    stats.get("observed_" + policy_of(final, OBSERVED.match(n).group(1)), 0) + 1
                stats["observed"] += 1
            else:
                stats["rule"] += 1
    fixture = sorted(d for d in py if FIX_FIRST <= d.year <= FIX_LAST)
    return final, horizon, stats, fixture


def policy_of(entries, n):
    return next(e[3] for e in entries if e[0] == n and e[3])


def can_fall_on_weekend(r, since=None, until=None):
    """Whether the rule can fall on a weekend in its years (slacalc refuses
    an `observed` key that would never apply)."""
    if since is not None or until is not None:
        years = range(since or 1583, (until or 9999) + 1)
        if len(years) < 400:
            return any(d is not None and d.weekday() >= 5 for d in (rule_date(r, y) for y in years))
    if r[0] == "nth":
        return (r[2] + r[4]) % 7 >= 5
    if r[0] in ("easter", "orthodox_easter"):
        return r[1] % 7 in (0, 6)
    return True


# ---- writing --------------------------------------------------------------------

def q(s):
    return json.dumps(s, ensure_ascii=False)


def toml_rule(name, kind, payload, policy):
    parts = [f"name = {q(name)}"]
    if kind == "dates":
        parts.append("dates = [" + ", ".join(f'"{d.isoformat()}"' for d in payload) + "]")
    else:
        rule, since, until = payload
        if rule[0] == "date":
            parts.append(f'date = "{rule[1]:02}-{rule[2]:02}"')
        elif rule[0] in ("easter", "orthodox_easter"):
            parts.append(f"{rule[0]} = {rule[1]}")
        else:
            _, n, wd, m, off = rule
            parts.append(f'nth = {n}, weekday = "{WD[wd]}", month = {m}')
            if off:
                parts.append(f"offset = {off}")
        if since is not None:
            parts.append(f"since = {since}")
        if until is not None:
            parts.append(f"until = {until}")
        if policy:
            parts.append(f'observed = "{policy}"')
    return "  { " + ", ".join(parts) + " },"


def country_name(cls):
    name = cls.__mro__[1].__name__ if cls.__mro__[1].__name__ != "HolidayBase" else cls.__name__
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def one_country(args):
    cc, subs = args
    cls = holidays.country_holidays(cc).__class__
    base = holidays.country_holidays(cc)
    aliases = base.get_subdivision_aliases() if hasattr(base, "get_subdivision_aliases") else {}
    cname = country_name(cls)
    blocks, report, fixture = [], [], {}
    parent = None
    for sub in [None] + list(subs):
        sid = set_id(cc, sub)
        try:
            entries, horizon, stats, fix = build(cc, sub)
        except SystemExit as e:
            report.append({"id": sid, "error": str(e)})
            continue
        names = aliases.get(sub) or []
        title = cname if sub is None else f"{cname}: {names[0] if names else sub}"
        lines = [f"[holiday_sets.{sid}]", f"name = {q(title)}"]
        src = f"python-holidays {holidays.__version__} (MIT) {cc}" + (f"-{sub}" if sub else "") + f", {TODAY}"
        lines.append(f"source = {q(src)}")
        own = entries
        # A subdivision holding every rule of its country, and giving the
        # same days with the country's rules first, extends it.
        if parent is not None:
            p_entries, p_horizon = parent
            keys = [tuple(map(str, e)) for e in entries]
            if all(tuple(map(str, e)) in keys for e in p_entries):
                rest = [e for e in entries if tuple(map(str, e)) not in {tuple(map(str, x)) for x in p_entries}]
                top = min(h for h in (horizon, p_horizon, GEN_LAST) if h is not None)
                if simulate(p_entries + rest, GEN_FIRST, top) == simulate(entries, GEN_FIRST, top):
                    own = rest
                    lines.append(f"extends = {q(cc.lower())}")
                    if p_horizon is not None:
                        horizon = min(horizon or GEN_LAST, p_horizon)
        # python-holidays was compared from GEN_FIRST on only, and `dates`
        # lists start there: a walk before it is an error, not a year
        # without the set's holidays.
        lines.append(f"data_from = {GEN_FIRST}")
        if horizon is not None:
            lines.append(f"horizon = {horizon}")
        lines.append("rules = [")
        lines.extend(toml_rule(*e) for e in own)
        lines.append("]")
        blocks.append("\n".join(lines))
        report.append({"id": sid, "stats": stats, "horizon": horizon})
        fixture[sid] = (horizon, fix)
        if sub is None:
            parent = (entries, horizon)
    return cc, blocks, report, fixture


def encode_fixture(fixture):
    """One line per set: `id horizon d d d…`, each date as days since the
    previous one (the first since 1999-12-31); horizon `-` when none."""
    lines = []
    for sid in sorted(fixture):
        horizon, ds = fixture[sid]
        prev = dt.date(FIX_FIRST - 1, 12, 31)
        nums = []
        for d in ds:
            nums.append(str((d - prev).days))
            prev = d
        lines.append(f"{sid} {horizon if horizon else '-'} " + " ".join(nums))
    return "\n".join(lines) + "\n"


def main():
    if holidays.__version__ != PINNED:
        raise SystemExit(f"python-holidays {holidays.__version__} installed; this script is pinned to {PINNED}")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    countries = holidays.list_supported_countries(include_aliases=False)
    only = sys.argv[1:]
    work = [(cc, subs) for cc, subs in sorted(countries.items()) if not only or cc in only]
    outdir = os.path.join(root, "plans", "world")
    os.makedirs(outdir, exist_ok=True)
    reports, fixture = [], {}
    with multiprocessing.Pool() as pool:
        for cc, blocks, report, fix in pool.imap_unordered(one_country, work):
            reports.extend(report)
            fixture.update(fix)
            if blocks:
                header = (f"# Generated by scripts/gen-world-holidays.py from python-holidays {holidays.__version__}"
                          f" (MIT) on {TODAY}.\n# Do not edit: regenerate. Public holidays only.\n\n")
                with open(os.path.join(outdir, f"{cc.lower()}.toml"), "w", encoding="utf-8") as f:
                    f.write(header + "\n\n".join(blocks) + "\n")
            print(cc, len(blocks), file=sys.stderr)
    if not only:
        path = os.path.join(root, "tests", "fixtures", f"world-holidays-{FIX_FIRST}-{FIX_LAST}.txt.gz")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(encode_fixture(fixture).encode())
    totals = defaultdict(int)
    for r in reports:
        for k, v in r.get("stats", {}).items():
            totals[k] += v
    with open(os.path.join(root, "scripts", "gen-world-holidays.report.json"), "w", encoding="utf-8") as f:
        json.dump({"python_holidays": holidays.__version__, "generated": TODAY, "years": [GEN_FIRST, GEN_LAST],
                   "totals": totals, "sets": sorted(reports, key=lambda r: r["id"])}, f, indent=0)
        f.write("\n")
    print(dict(totals), file=sys.stderr)
    errors = [r for r in reports if "error" in r]
    for e in errors:
        print(e, file=sys.stderr)


if __name__ == "__main__":
    main()
