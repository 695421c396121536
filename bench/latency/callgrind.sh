#!/bin/bash
# Instructions per request of each page, load-independent: the latency
# server (built from this directory) under callgrind, instrumented only
# after seeding, 50 sequential requests per page (docs/benchmarks.md, "Page
# CPU per request"). User-space instructions only. For the dashboard it also
# prints the figure without the status recount, which the 1 s count cache
# makes on nearly every request under callgrind (a request takes a third of a
# second there) but once a second in a real run.
#
#	go build -o /tmp/lat ./bench/latency && bash bench/latency/callgrind.sh /tmp/lat [requests] [users]
set -eu
BIN=$1
N=${2:-50}
USERS=${3:-10000}
PAGES="/bench/trivial /dashboard /users /users?status=overdue /users?status=invited /users?q=user-00001 /api/v1/bench/trivial /api/v1/users?limit=50"
D=$(mktemp -d)
trap 'kill $HOLD 2>/dev/null || true; rm -rf "$D"' EXIT
mkfifo "$D/in"
sleep 100000 >"$D/in" &
HOLD=$!
GATEHOUSE_BENCH_CHILD=latency LATENCY_DRIVER=sqlite LATENCY_USERS=$USERS GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 \
	valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$D/cg.%p" "$BIN" <"$D/in" >"$D/hello" 2>"$D/valgrind.log" &
VG=$!
until [ -s "$D/hello" ]; do
	kill -0 $VG 2>/dev/null || { cat "$D/valgrind.log" >&2; exit 1; }
	sleep 1
done
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$D/hello" "$1"; }
URL=$(field url)
COOKIE=$(field cookie)
TOKEN=$(field token)
callgrind_control -i on $VG >/dev/null 2>&1
for p in $PAGES; do
	H="Cookie: $COOKIE"
	case $p in /api/*) H="Authorization: Bearer $TOKEN" ;; esac
	for _ in 1 2 3 4 5; do curl -sf -o /dev/null -H "$H" "$URL$p"; done
	callgrind_control -z $VG >/dev/null 2>&1
	for _ in $(seq "$N"); do curl -sf -o /dev/null -H "$H" "$URL$p"; done
	callgrind_control -d $VG >/dev/null 2>&1
	sleep 1
	F=$(ls -t "$D"/cg.$VG.* | head -1)
	IR=$(grep -E '^(summary|totals):' "$F" | head -1 | awk '{print $2}')
	LINE="$p $(awk -v ir="$IR" -v n="$N" 'BEGIN { printf "%.3f", ir / n / 1e6 }') M instructions per request"
	if [ "$p" = /dashboard ]; then
		RC=$(callgrind_annotate --inclusive=yes --threshold=100 "$F" 2>/dev/null |
			grep -E 'store\.\(\*Store\)\.(RecountByStatus|countUsers) \[' | awk '{gsub(",", "", $1); if ($1 > m) m = $1} END { print m + 0 }')
		LINE="$LINE ($(awk -v ir="$IR" -v rc="$RC" -v n="$N" 'BEGIN { printf "%.3f", (ir - rc) / n / 1e6 }') without the status recount)"
	fi
	echo "$LINE"
	rm -f "$F"
done
