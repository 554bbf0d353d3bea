#!/usr/bin/env bash
# bench/ab.sh — an A/B comparison of two revisions with any bench command that prints one JSON object as
# its last line (bench:pipeline, bench:gateway -- --gateway-only, …). These machines drift by ±20 % within
# minutes, so the two sides run alternately (A B, then B A, …) and the summary gives each side's medians
# and the median of the per-round ratios B ÷ A.
#
#   bench/ab.sh <rev-a> <rev-b> [-n rounds] -- <command…>
#   bench/ab.sh HEAD~1 HEAD -n 5 -- npm run -s bench:pipeline
#   bench/ab.sh main . -- npm run -s bench:gateway -- --gateway-only
#
# A revision is checked out into its own clone under ${QY_AB_DIR:-/tmp/qy-ab}/<commit> (installed with
# `npm ci` and built once, then reused); `.` is this working tree as it is, built first.
set -euo pipefail

usage() {
  echo "usage: bench/ab.sh <rev-a> <rev-b> [-n rounds] -- <command…>" >&2
  exit 2
}
[[ $# -ge 4 ]] || usage
REV_A=$1
REV_B=$2
shift 2
ROUNDS=3
while [[ $# -gt 0 && $1 != -- ]]; do
  case $1 in
    -n) ROUNDS=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ ${1:-} == -- ]] || usage
shift
[[ $# -gt 0 ]] || usage

ROOT=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
BASE=${QY_AB_DIR:-/tmp/qy-ab}
mkdir -p "$BASE"

# The directory a revision runs in (cloned, installed and built the first time).
checkout() {
  local rev=$1
  if [[ $rev == . ]]; then
    (cd "$ROOT" && npx tsc -b tsconfig.build.json) >&2
    echo "$ROOT"
    return
  fi
  local sha
  sha=$(git -C "$ROOT" rev-parse --verify "$rev^{commit}")
  local dir=$BASE/$sha
  if [[ ! -f $dir/.qy-ab-ready ]]; then
    echo "# preparing $rev ($sha) in $dir" >&2
    rm -rf "$dir"
    git clone -q "$ROOT" "$dir"
    git -C "$dir" checkout -q "$sha"
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null && npx tsc -b tsconfig.build.json) >&2
    touch "$dir/.qy-ab-ready"
  fi
  echo "$dir"
}

DIR_A=$(checkout "$REV_A")
DIR_B=$(checkout "$REV_B")
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

run() {
  local side=$1 dir=$2 last
  shift 2
  last=$(cd "$dir" && "$@" 2>/dev/null | tail -n 1) || true
  echo "$side $last" | tee -a "$RESULTS"
}

echo "# A = $REV_A ($DIR_A), B = $REV_B ($DIR_B), $ROUNDS rounds of: $*"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2 == 1)); then
    run A "$DIR_A" "$@"
    run B "$DIR_B" "$@"
  else
    run B "$DIR_B" "$@"
    run A "$DIR_A" "$@"
  fi
done

node - "$RESULTS" <<'EOF'
const { readFileSync } = require('node:fs');
const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const runs = { A: [], B: [] };
for (const line of lines) {
  const side = line.slice(0, 1);
  try {
    runs[side].push(JSON.parse(line.slice(2)));
  } catch {
    console.error(`# a ${side} run printed no JSON as its last line: ${line.slice(2, 200)}`);
    process.exitCode = 1;
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rounds = Math.min(runs.A.length, runs.B.length);
const fields = Object.keys(runs.A[0] ?? {}).filter((k) => typeof runs.A[0][k] === 'number');
const rows = fields.map((field) => {
  const a = runs.A.map((r) => r[field]);
  const b = runs.B.map((r) => r[field]);
  const ratios = Array.from({ length: rounds }, (_, i) => b[i] / a[i]).filter(Number.isFinite);
  return [field, median(a), median(b), ratios.length ? `${median(ratios).toFixed(3)}×` : '—'];
});
console.log(`\n${['field', 'median A', 'median B', 'median B ÷ A'].join('\t')}`);
for (const row of rows) console.log(row.join('\t'));
EOF
