#!/usr/bin/env bash
# Serve Gerbang locally: granian (WSGI) and the huey worker together. Ctrl-C stops both;
# if either one dies, the other is stopped too.
set -u
cd "$(dirname "$0")/.."
PORT="${GERBANG_PORT:-8000}"
HOST="${GERBANG_HOST:-127.0.0.1}"
# Links in emails, and the simulated payment provider's webhooks, go to this address.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"

stop() {
  trap - INT TERM EXIT
  kill $(jobs -p) 2>/dev/null
  wait 2>/dev/null
}
trap stop INT TERM EXIT

.venv/bin/python manage.py run_huey --workers "${HUEY_WORKERS:-2}" &
.venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" \
  --workers "${WEB_WORKERS:-1}" --blocking-threads "${WEB_THREADS:-4}" \
  --no-access-log \
  gerbang.wsgi:application &
echo "Gerbang is running on http://$HOST:$PORT — press Ctrl-C to stop the web server and the worker."
echo "The payment provider simulator is at http://$HOST:$PORT/simulator/payment-provider/"
wait -n
