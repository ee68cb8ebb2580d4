#!/usr/bin/env bash
# Measures the whole-process rows of the scale goals in one run, each beside
# its baseline: a CSV of ROWS contacts (fixed seed) imported by `kontor` and
# by the sqlite3 CLI (.import + FTS5), the store on disk, a one-shot
# `kontor contacts list --search` process against sqlite3 on the FTS5 table
# and against sled's own open, and the desktop app's start and memory on the
# full store against an empty one (over WebDriver, on its own Xvfb).
#
#   bash src-tauri/scripts/measure-scale.sh [ROWS]      (default 100000)
#
# It builds the release binaries first. It only reports; nothing fails on a
# missed goal. Needs hyperfine and sqlite3 (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-100000}
query=${QUERY:-schröder12}

# What the app and the WebDriver run need (as the test command), then the
# measuring tools.
bash src-tauri/scripts/setup.sh --test-tools
export PATH="$HOME/.cargo/bin:$PATH"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "== building the release binaries"
cargo build --release --locked --quiet -p kontor-cli -p kontor-desktop -p kontor-e2e --bins
cargo build --release --locked --quiet -p kontor-core --example sled_open

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$work/contacts.csv"
python3 src-tauri/scripts/scale_csv.py "$rows" "$csv"
kontor=target/release/kontor
data="$work/kontor"
db="$work/baseline.sqlite"

echo
echo "== import of $rows CSV rows ($(du -h "$csv" | cut -f1)), whole process"
tail -c +4 "$csv" > "$work/nobom.csv"
cat > "$work/import.sql" <<SQL
.mode csv
.separator ;
.import $work/nobom.csv contacts
CREATE VIRTUAL TABLE fts USING fts5(vorname, nachname, firma, position, email, telefon, mobil, strasse, plz, ort, quelle, schlagworte, bemerkung);
INSERT INTO fts SELECT * FROM contacts;
SQL
/usr/bin/time -f '%e %M' -o "$work/sqlite.time" sqlite3 "$db" < "$work/import.sql"
/usr/bin/time -f '%e %M' -o "$work/kontor.time" "$kontor" --data-dir "$data" import "$csv" --json > "$work/report.json"
read -r s_sec s_kb < "$work/sqlite.time"
read -r k_sec k_kb < "$work/kontor.time"
python3 - "$s_sec" "$k_sec" "$k_kb" "$(stat -c %s "$csv")" <<'PY'
import sys
s, k, kb, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
# The goal, 200 MB plus twice the file, in MiB as the RSS is (KiB / 1024).
limit = 200 + 2 * size / 2**20
print(f"kontor import   {k:6.2f} s, max RSS {kb/1024:4.0f} MiB (goal ≤ {limit:.0f} MiB; {kb*1024/1e6:.0f} MB decimal)")
print(f"sqlite3 + FTS5  {s:6.2f} s")
print(f"ratio           {k/s:6.2f} (goal ≤ 2.00)")
PY
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("report", {k: r[k] for k in ("imported","merged","skipped")}, "errors", len(r["errors"]))' "$work/report.json"

echo
echo "== on disk"
echo "kontor store    $(du -sh "$data/store" | cut -f1) (sled) + $(du -sh "$data/search" | cut -f1) (search index)"
echo "sqlite3 file    $(du -sh "$db" | cut -f1)"

echo
echo "== one-shot search for \"$query\", whole process (hyperfine, warm cache)"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/search.json" \
  -n "kontor contacts list --search" "$kontor --data-dir $data contacts list --search $query --json" \
  -n "sled's own open" "target/release/examples/sled_open $data" \
  -n "sqlite3 FTS5 MATCH" "sqlite3 $db \"SELECT rowid, vorname, nachname FROM fts WHERE fts MATCH '\\\"$query\\\"*'\"" \
  > "$work/hyperfine.txt" 2>&1 || { cat "$work/hyperfine.txt"; exit 1; }
python3 - "$work/search.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
k, o, s = (r[n]["median"] * 1000 for n in ("kontor contacts list --search", "sled's own open", "sqlite3 FTS5 MATCH"))
print(f"kontor search   {k:7.1f} ms (median of 30)")
print(f"sled open       {o:7.1f} ms   → kontor − sled open = {k - o:+.1f} ms (goal ≤ +10 ms)")
print(f"sqlite3 FTS5    {s:7.1f} ms   → ratio {k / s:.2f}")
PY
/usr/bin/time -f 'max RSS of the search process: %M kB' "$kontor" --data-dir "$data" contacts list --search "$query" --json > /dev/null

echo
echo "== the desktop app: start to the first page of the list, and memory (PSS)"
KONTOR_DESKTOP_BIN="$PWD/target/release/kontor-desktop" target/release/measure-start "$data" 3 | grep summary
