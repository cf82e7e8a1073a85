#!/usr/bin/env bash
# Ensures the local PostgreSQL (127.0.0.1:5432, trust auth for user postgres, database
# `tautline`) and Redis (127.0.0.1:6379, maxmemory-policy noeviction) are up.
# Idempotent; when both already answer it only checks and returns (well under a second).
# Prints one line per service. Exits 1 with a clear message when a service can't be had.
#
#   TAUTLINE_SKIP_SERVICES=1   skip everything (services managed elsewhere)
#   TAUTLINE_PG_PORT, TAUTLINE_PG_CLUSTER, TAUTLINE_REDIS_PORT   (defaults 5432, main, 6379)
#   TAUTLINE_SERVICES_TIMEOUT  seconds to wait for a service to answer (default 30)
set -euo pipefail

if [[ "${TAUTLINE_SKIP_SERVICES:-}" == 1 ]]; then
  echo "services: skipped (TAUTLINE_SKIP_SERVICES=1)"
  exit 0
fi

HOST=127.0.0.1
PG_PORT="${TAUTLINE_PG_PORT:-5432}"
PG_CLUSTER="${TAUTLINE_PG_CLUSTER:-main}"
REDIS_PORT="${TAUTLINE_REDIS_PORT:-6379}"
DB_NAME=tautline
TIMEOUT="${TAUTLINE_SERVICES_TIMEOUT:-30}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# psql & co: never prompt (-w), don't hang, don't borrow a password from the caller's environment.
export PGCONNECT_TIMEOUT=3
unset PGPASSWORD PGSERVICE

fail() {
  echo "services: $*" >&2
  exit 1
}

install_hint() {
  cat >&2 <<EOF
  Install it with:   apt-get install -y postgresql redis-server   (as root)
  or, with Docker:   docker compose -f ${HERE}/docker-compose.yml up -d postgres redis
EOF
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- checks
# pg_isready: 0 accepting, 1 rejecting (starting up / shutting down), 2 no response.
pg_state() {
  if have pg_isready; then
    local rc=0
    pg_isready -q -h "$HOST" -p "$PG_PORT" -t 2 || rc=$?
    echo "$rc"
  elif (exec 3<>"/dev/tcp/$HOST/$PG_PORT") 2>/dev/null; then
    echo 0
  else
    echo 2
  fi
}

redis_up() {
  if have redis-cli; then
    [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
  else
    local reply=""
    { exec 3<>"/dev/tcp/$HOST/$REDIS_PORT"; } 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 2 reply <&3 || true
    exec 3>&-
    [[ "$reply" == "+PONG"* ]]
  fi
}

# wait_for <command...>: polls every 0.5s until the command succeeds or TIMEOUT passes.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

pg_accepting() { [[ "$(pg_state)" == 0 ]]; }

# ---------------------------------------------------------------- PostgreSQL
pg_version() {
  # The newest installed major version, e.g. 15 (`ls /etc/postgresql` may list several).
  # shellcheck disable=SC2012 # version directories are plain numbers
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

pg_psql() { psql -h "$HOST" -p "$PG_PORT" -U postgres -w -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Makes TCP connections as postgres from loopback trusted (local development only).
pg_trust_loopback() {
  local ver hba
  ver="$(pg_version)"
  hba="/etc/postgresql/$ver/$PG_CLUSTER/pg_hba.conf"
  [[ -n "$ver" && -w "$hba" ]] || return 1
  if ! grep -q '^# tautline infra/services.sh' "$hba"; then
    local tmp
    tmp="$(mktemp)"
    {
      echo '# tautline infra/services.sh: trust postgres over loopback (local development only)'
      echo 'host all postgres 127.0.0.1/32 trust'
      echo 'host all postgres ::1/128 trust'
      cat "$hba"
    } >"$tmp"
    cat "$tmp" >"$hba" # keeps the file's owner and mode
    rm -f "$tmp"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" reload >/dev/null
  sleep 0.5
}

ensure_postgres() {
  local how="already running" state ver
  state="$(pg_state)"
  if [[ "$state" == 1 ]]; then
    how="was starting"
  elif [[ "$state" != 0 ]]; then
    ver="$(pg_version)"
    if ! have pg_ctlcluster || [[ -z "$ver" ]]; then
      echo "postgres: not answering on $HOST:$PG_PORT and PostgreSQL is not installed here." >&2
      install_hint
    fi
    how="started"
    local out
    if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" start 2>&1)"; then
      # "already running" just means it is still coming up or listens elsewhere: wait and see.
      [[ "$out" == *"already running"* ]] || fail "postgres: could not start cluster $ver/$PG_CLUSTER: $out"
      how="was starting"
    fi
  fi
  wait_for pg_accepting ||
    fail "postgres: not accepting connections on $HOST:$PG_PORT after ${TIMEOUT}s (see /var/log/postgresql/postgresql-$(pg_version)-$PG_CLUSTER.log)"

  if ! have psql; then
    echo "postgres  ok  $HOST:$PG_PORT ($how; psql not installed, database $DB_NAME not checked)"
    return
  fi
  local err
  if ! err="$(pg_psql -d postgres -c 'select 1' 2>&1 >/dev/null)"; then
    if [[ "$err" == *password* || "$err" == *"no pg_hba.conf entry"* ]] && pg_trust_loopback &&
      pg_psql -d postgres -c 'select 1' >/dev/null 2>&1; then
      how="$how; trust auth for postgres@loopback added to pg_hba.conf"
    else
      fail "postgres: postgres://postgres@$HOST:$PG_PORT refused: ${err}
  Allow it in pg_hba.conf (local development only):  host all postgres 127.0.0.1/32 trust"
    fi
  fi
  if [[ "$(pg_psql -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]]; then
    # A concurrent run may win the race: only fail if the database still isn't there.
    createdb -h "$HOST" -p "$PG_PORT" -U postgres -w "$DB_NAME" 2>/dev/null ||
      [[ "$(pg_psql -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")" == 1 ]] ||
      fail "postgres: could not create database $DB_NAME"
    how="$how; database $DB_NAME created"
  fi
  echo "postgres  ok  $HOST:$PG_PORT ($how)"
}

# ---------------------------------------------------------------- Redis
ensure_redis() {
  local how="already running"
  if ! redis_up; then
    if ! have redis-server; then
      echo "redis: not answering on $HOST:$REDIS_PORT and redis-server is not installed here." >&2
      install_hint
    fi
    how="started"
    mkdir -p /var/lib/redis /var/log/redis ||
      fail "redis: cannot create /var/lib/redis and /var/log/redis (run as root, or start Redis yourself)"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log --maxmemory-policy noeviction >/dev/null ||
      fail "redis: redis-server failed to start (see /var/log/redis/ci.log)"
    wait_for redis_up ||
      fail "redis: not answering PING on $HOST:$REDIS_PORT after ${TIMEOUT}s (see /var/log/redis/ci.log)"
  fi
  # BullMQ needs noeviction; fix a running server that says otherwise.
  if have redis-cli; then
    local policy
    policy="$(redis-cli -h "$HOST" -p "$REDIS_PORT" config get maxmemory-policy 2>/dev/null | tail -n 1)"
    if [[ -n "$policy" && "$policy" != noeviction ]]; then
      redis-cli -h "$HOST" -p "$REDIS_PORT" config set maxmemory-policy noeviction >/dev/null &&
        how="$how; maxmemory-policy $policy -> noeviction"
    fi
  fi
  echo "redis     ok  $HOST:$REDIS_PORT ($how)"
}

ensure_postgres
ensure_redis
