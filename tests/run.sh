#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite: lint, types, unit tests, and the
# scenario tests on SQLite and on a PostgreSQL server that the test set-up starts itself.
# Usage: bash tests/run.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian's PostgreSQL server; the tests start their own cluster, so no default one is created.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo -n); fi
  echo "Installing PostgreSQL from Debian's packages…"
  "${sudo[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql </dev/null
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Types, as configured in pyproject.toml: the code, not the tests or the benchmarks.
.venv/bin/mypy
# One worker per core (pytest-xdist; each worker starts its own PostgreSQL cluster): about 40%
# less wall time on two cores. pytest exits 5 when it collected no test; `set -e` turns that,
# like any failure, into a red run.
exec .venv/bin/python -m pytest -n auto "$@"
