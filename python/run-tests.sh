#!/usr/bin/env bash
# The Python suite: a venv (created once), its packages (installed when
# requirements-test.txt changes), the extension (rebuilt with `maturin
# develop --release` when a Rust source changed), the CLI binary the tests
# compare with (`cargo build --release`, a no-op when built), then pytest.
#
#   python/run-tests.sh [pytest args...]
#
# SLACALC_PY_VENV   the venv (default: python/.venv)
# SLACALC_BIN       a slacalc binary to compare with (default: built here)
# SLACALC_REQUIRE_TOOLS=1  a missing Java runtime fails the Spark tests
#                   instead of skipping them
# CARGO_TARGET_DIR  as cargo reads it
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=${SLACALC_PY_VENV:-$here/.venv}
py=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    "$py" -c 'import sys; assert sys.version_info >= (3, 9), "Python 3.9 or later is needed"'
    "$py" -m venv "$venv"
fi
stamp="$venv/.slacalc-requirements"
if ! cmp -s "$here/requirements-test.txt" "$stamp" 2>/dev/null; then
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q -r "$here/requirements-test.txt"
    cp "$here/requirements-test.txt" "$stamp"
fi

# The extension: rebuilt when a source it is built from is newer than the
# last build.
built="$venv/.slacalc-built"
if [ ! -f "$built" ] || [ -n "$(find "$here/src" "$here/Cargo.toml" "$here/Cargo.lock" "$here/pyproject.toml" \
        "$root/src" "$root/Cargo.toml" "$root/build.rs" "$root/plans" -newer "$built" -print -quit)" ]; then
    (cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --release --quiet)
    touch "$built"
fi

if [ -z "${SLACALC_BIN:-}" ]; then
    (cd "$root" && cargo build --release --locked --quiet --bin slacalc)
    SLACALC_BIN="${CARGO_TARGET_DIR:-$root/target}/release/slacalc"
    case "$SLACALC_BIN" in /*) ;; *) SLACALC_BIN="$root/$SLACALC_BIN" ;; esac
    export SLACALC_BIN
fi

cd "$here"
exec "$venv/bin/python" -m pytest -q tests "$@"
