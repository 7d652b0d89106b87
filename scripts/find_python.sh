#!/usr/bin/env bash
# Print the path of a Python interpreter >= 3.12 that can create virtual environments.
#
# Order: $BORDERLINE_PYTHON if set, then python3.13, python3.12 and python3 on PATH, then pyenv
# installs (newest first). Each candidate is actually run: pyenv shims exist for versions that are
# not selected and fail when called, and Debian's python3 may lack the venv module.
# Exits 1 with an explanation on stderr when nothing suitable is found.
set -euo pipefail

MIN_MAJOR=3
MIN_MINOR=12

usable() {
    # A candidate is usable when it runs, is new enough and has venv + ensurepip.
    "$1" - "$MIN_MAJOR" "$MIN_MINOR" >/dev/null 2>&1 <<'PY'
import sys
need = (int(sys.argv[1]), int(sys.argv[2]))
if sys.version_info[:2] < need:
    sys.exit(1)
import ensurepip, venv  # noqa: E401,F401  (Debian ships python3 without them)
PY
}

candidates=()
if [[ -n "${BORDERLINE_PYTHON:-}" ]]; then
    candidates+=("$BORDERLINE_PYTHON")
fi
for name in python3.13 python3.12 python3; do
    if path=$(command -v "$name" 2>/dev/null); then
        candidates+=("$path")
    fi
done
pyenv_roots=()
if command -v pyenv >/dev/null 2>&1; then
    pyenv_roots+=("$(pyenv root 2>/dev/null || true)")
fi
pyenv_roots+=("${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv)
for root in "${pyenv_roots[@]}"; do
    [[ -n "$root" && -d "$root/versions" ]] || continue
    # newest first: 3.13.x before 3.12.x
    while IFS= read -r dir; do
        candidates+=("$dir/bin/python")
    done < <(find "$root/versions" -mindepth 1 -maxdepth 1 -name '3.1[2-9]*' 2>/dev/null | sort -rV)
done

for candidate in "${candidates[@]}"; do
    if [[ -x "$candidate" ]] && usable "$candidate"; then
        # resolve to the real interpreter so a later pyenv change does not switch it underneath us
        "$candidate" -c 'import sys; print(sys.executable)'
        exit 0
    fi
done

cat >&2 <<MSG

Borderline needs Python ${MIN_MAJOR}.${MIN_MINOR} or newer (with the venv module), and none was found:
tried ${candidates[*]:-no candidates}. Install one, for example on Debian/Ubuntu
'apt-get install python3.12 python3.12-venv' (Ubuntu: from the deadsnakes PPA), with pyenv
'pyenv install 3.12', on macOS 'brew install python@3.12', or from https://www.python.org/downloads/,
then run make again; to use a specific interpreter run 'make venv BORDERLINE_PYTHON=/path/to/python3.12' (before .venv exists).

MSG
exit 1
