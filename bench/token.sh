#!/bin/sh
# Prints a bearer token for a fresh office-reviewer account on a running server:
#   bench/token.sh BIN DB PORT
# (the benchmarks call the API as a logged-in client, like every real caller)
set -eu
BIN=$1 DB=$2 PORT=$3
URL=http://127.0.0.1:$PORT/api/v1
USER=bench$$
NEWPW='Bench-pass-2026!'
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
pw=$("$BIN" user add --db "$DB" --username "$USER" --role office_reviewer | sed -n 's/.*一次性密码: //p')
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USER\",\"password\":\"$pw\"}" "$URL/session" | json csrf_token)
csrf=$(curl -sf -b "$jar" -c "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	-H "Origin: http://127.0.0.1:$PORT" \
	-d "{\"current_password\":\"$pw\",\"new_password\":\"$NEWPW\"}" "$URL/session/password" |
	json csrf_token)
curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	-H "Origin: http://127.0.0.1:$PORT" -d '{"name":"bench","expires_in_days":1}' \
	"$URL/tokens" | json token
