#!/usr/bin/env bash
# Serve Gerbang locally: granian (WSGI), the live relay (granian, ASGI) and the huey worker
# together. Ctrl-C stops them all; if one dies, the others are stopped too.
set -u
cd "$(dirname "$0")/.."
PORT="${GERBANG_PORT:-8000}"
HOST="${GERBANG_HOST:-127.0.0.1}"
# Links in emails, and the simulated payment provider's webhooks, go to this address.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
# The live relay (server-sent events for the display boards and ticket pages) on the next port.
LIVE_PORT="${GERBANG_LIVE_PORT:-$((PORT + 1))}"
export LIVE_URL="${LIVE_URL:-http://$HOST:$LIVE_PORT}"
# The partner agency simulators (civil registry, police, foreign ministry), a server of their own.
PARTNERS_PORT="${GERBANG_PARTNERS_PORT:-$((PORT + 2))}"
export PARTNER_SIMULATOR_URL="${PARTNER_SIMULATOR_URL:-http://$HOST:$PARTNERS_PORT}"

stop() {
  trap - INT TERM EXIT
  kill $(jobs -p) 2>/dev/null
  wait 2>/dev/null
}
trap stop INT TERM EXIT

.venv/bin/python -m gerbang.simulators.partners --host "$HOST" --port "$PARTNERS_PORT" \
  --state "${GERBANG_VAR_DIR:-var}/partner-simulator.json" &
.venv/bin/python manage.py run_huey --workers "${HUEY_WORKERS:-2}" &
# The public log's sequencer, following the events as they commit (the worker's run every few
# seconds is its fallback).
.venv/bin/python manage.py ledger_integrate --follow >/dev/null &
.venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" \
  --workers "${WEB_WORKERS:-1}" --blocking-threads "${WEB_THREADS:-4}" \
  --no-access-log \
  gerbang.wsgi:application &
.venv/bin/granian --interface asgi --host "$HOST" --port "$LIVE_PORT" --workers 1 --no-access-log \
  gerbang.live.asgi:app &
if [ "${GERBANG_LOAD_DEMO:-0}" = 1 ]; then
  # The demo is loaded once the server and the worker run, so the messages it writes (and the
  # SMS and push they send through the local simulators on this server) go out at once, as
  # they would in service, instead of waiting for a worker that has not started yet.
  for _ in $(seq 1 100); do
    .venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://$HOST:$PORT/healthz', timeout=1)" \
      2>/dev/null && break
    sleep 0.2
  done
  for _ in $(seq 1 50); do
    .venv/bin/python -c "import urllib.request; urllib.request.urlopen('$PARTNER_SIMULATOR_URL/keys', timeout=1)" \
      2>/dev/null && break
    sleep 0.2
  done
  .venv/bin/python manage.py load_demo || exit 1
fi
echo "Gerbang is running on http://$HOST:$PORT — press Ctrl-C to stop the web server and the worker."
echo "The payment provider simulator is at http://$HOST:$PORT/simulator/payment-provider/"
echo "The partner agency simulators (civil registry, police, foreign ministry): http://$HOST:$PORT/simulator/partners/"
echo "Live updates (display boards, ticket pages) stream from $LIVE_URL"
wait -n
