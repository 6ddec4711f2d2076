#!/usr/bin/env bash
# Everything CI runs (`make test`, called by .ci/run): lint, types, migrations, deploy checks,
# the test suite on SQLite and again on PostgreSQL, and the browser tests in Debian's Chromium.
#
# The suite runs on every core (pytest-xdist, `-n auto`; PYTEST_XDIST_AUTO_NUM_WORKERS=N to choose):
# each worker has its own test database (SQLite in its memory, PostgreSQL as test_sigill_gw0,
# test_sigill_gw1, ...), its own live server on a free port and its own Chromium; no test needs
# a worker to itself. (Should one ever: pytest 9.2 silently breaks xdist's --dist loadgroup and
# xdist_group, pytest-xdist issue 1386.)
# pytest-randomly shuffles the order on every run, so no test can lean on another having run
# first; the seed is printed, and `.venv/bin/pytest --randomly-seed=N tests/<dir>` repeats that
# order (`-p no:randomly` runs in file order).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DEBUG=true   # settings load with DEBUG on; pytest-django turns it off while tests run
export PYTHONDONTWRITEBYTECODE=1
POSTGRES_URL=${SIGILL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/sigill}
# One shuffled order per run (SIGILL_TEST_SEED=N repeats one), printed because -q hides pytest's header.
SEED=${SIGILL_TEST_SEED:-$((RANDOM * 32768 + RANDOM))}
PYTEST=(.venv/bin/pytest -q -n auto --randomly-seed="$SEED")

# Each step's time is noted, and the end lists them with the wall time of the whole run, so that
# a slower suite shows in every run's log.
started=$SECONDS
step_name=""
step_started=$SECONDS
times=()
duration() { printf '%d min %d s' $(($1 / 60)) $(($1 % 60)); }
step_done() {
  [[ -n $step_name ]] && times+=("$(printf '  %-40s %s' "${step_name%% (*}" "$(duration $((SECONDS - step_started)))")")
  step_name=""
}
step() {
  step_done
  step_name=$1
  step_started=$SECONDS
  printf '\n==> %s\n' "$*"
}
finish() {
  local status=$? failed=$step_name
  step_done
  printf '\n'
  printf '%s\n' "${times[@]}"
  if [[ $status -eq 0 ]]; then
    printf 'make test: %s wall\n' "$(duration $((SECONDS - started)))"
  else
    printf 'make test: failed at "%s" after %s wall\n' "${failed%% (*}" "$(duration $((SECONDS - started)))"
  fi
}
trap finish EXIT

step "System packages (Chromium for the browser tests, Redis for the RQ test, gettext for translations, Pango for PDFs)"
bash scripts/apt-install.sh chromium chromium-driver redis-server gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
$PY manage.py compilemessages -v 0 --ignore '.venv/*'

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "mypy"
.venv/bin/mypy src tests bench scripts

step "Layers: the import contracts in .importlinter (layer order, no circles, front doors)"
PYTHONPATH=src:. .venv/bin/lint-imports --no-cache

step "Migrations are complete"
DATABASE_URL="sqlite:///$(mktemp -d)/migrations.sqlite3" $PY manage.py makemigrations --check --dry-run

step "Deploy checks with production settings"
DEBUG=false SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  SIGILL_VAULT_KEYS="ci:$($PY -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
  ALLOWED_HOSTS=sigill.vara-kommun.example DATABASE_URL="sqlite:///$(mktemp -d)/check.sqlite3" \
  $PY manage.py check --deploy --fail-level WARNING

step "Tests on SQLite (with the browser tests)"
echo "Order: --randomly-seed=$SEED"
"${PYTEST[@]}"

step "Tests on PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL is down; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# Redis for the test that runs syncs on two RQ workers (tests/connectors/test_rq_workers.py).
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "Redis is down; starting it"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
echo "Order: --randomly-seed=$SEED"
DATABASE_URL="$POSTGRES_URL" "${PYTEST[@]}" -m "not browser" --create-db
echo "PostgreSQL: the suite passed on $(psql -h 127.0.0.1 -U postgres -d postgres -tAc "SHOW server_version" 2>/dev/null || echo "?")"
