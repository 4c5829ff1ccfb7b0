#!/bin/sh
# The Sentinel engine against a real deployment of its own (scripts/ha start
# sentinel: one master, two replicas, three sentinels on free loopback
# ports), as TAP; stopped on exit. Extra arguments go to `scripts/ha start`
# (--data-pass PW, --sentinel-pass PW, --acl-user U:PW, ...).
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
make -s -C "$here" ha-sentinel
dir=$(mktemp -d "${TMPDIR:-/tmp}/wx-ha-sentinel.XXXXXX")
trap '"$top/scripts/ha" stop "$dir" 2>/dev/null || true' EXIT INT TERM
eval "$("$top/scripts/ha" start sentinel "$dir" "$@")"
WXREDIS_HA="$top/scripts/ha" "$here/build/ha_sentinel_check"
