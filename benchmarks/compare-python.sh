#!/usr/bin/env bash
# Runs the same scenarios with the Python library (hypernodes 0.4.8) and with
# this package, and prints one table: scenario, Python, Swift, ratio.
#
# usage: benchmarks/compare-python.sh [--quick] [--save DIR]
#
#   --quick     fewer rounds on both sides and a lower cap (a smoke test)
#   --save DIR  also keep both sides' raw figures and logs in DIR
#
# The Python side runs in a throwaway virtual environment (python3 -m venv,
# under mktemp -d, removed at exit) with `hypernodes==0.4.8 tqdm rich logfire`
# from PyPI. The Swift side is `hypernodes-bench compare`, built here in
# release mode. See docs/performance.md for what each scenario measures.
set -euo pipefail

quick=0
save=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --save)
        [ $# -ge 2 ] || { echo "compare-python.sh: --save needs a directory" >&2; exit 2; }
        save="$2"
        shift
        ;;
    -h | --help)
        sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "compare-python.sh: unknown argument '$1' (see --help)" >&2
        exit 2
        ;;
    esac
    shift
done

root=$(cd "$(dirname "$0")/.." && pwd)
command -v python3 >/dev/null || { echo "compare-python.sh: python3 is needed" >&2; exit 1; }
command -v swift >/dev/null || { echo "compare-python.sh: swift is needed" >&2; exit 1; }
if [ -n "$save" ]; then
    mkdir -p "$save" || { echo "compare-python.sh: cannot create '$save'" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hn-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== building hypernodes-bench (release)" >&2
(cd "$root" && swift build -c release --product hypernodes-bench >&2)
bin="$(cd "$root" && swift build -c release --product hypernodes-bench --show-bin-path)/hypernodes-bench"

echo "== creating a virtual environment in $work/venv" >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'hypernodes==0.4.8' tqdm rich logfire >&2
py="$work/venv/bin/python"

# Both sides draw progress at 120x40 (the pseudo-terminal's size; rich reads COLUMNS/LINES).
export TERM=xterm-256color COLUMNS=120 LINES=40

pyargs=()
swiftargs=()
if [ "$quick" = 1 ]; then
    pyargs=(--rounds 3 --budget 8 --max-round-seconds 40)
    swiftargs=(--quick)
fi

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== Python side ($("$py" --version 2>&1), hypernodes $("$py" -c 'from importlib.metadata import version; print(version("hypernodes"))'))" >&2
# The script stops taking rounds once a scenario has used its time budget and
# skips a 100,000-item scenario whose one round is estimated above a cap; the
# timeout is a last resort (results printed so far are kept).
status=0
timeout 900 "$py" "$root/benchmarks/python/compare.py" "${pyargs[@]}" >"$work/python.txt" 2> >(tee "$work/python.log" >&2) || status=$?
if [ "$status" != 0 ]; then
    echo "compare-python.sh: the Python side ended with status $status; its missing scenarios show as not measured" >&2
fi

echo "== Swift side ($(swift --version 2>/dev/null | head -1))" >&2
"$bin" compare "${swiftargs[@]}" >"$work/swift.txt" 2> >(tee "$work/swift.log" >&2)
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [ -n "$save" ]; then
    cp "$work/python.txt" "$work/python.log" "$work/swift.txt" "$work/swift.log" "$save/"
fi

"$py" - "$work/python.txt" "$work/swift.txt" <<'EOF'
import sys

def read(path, python):
    figures = {}
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) < 3:
            continue
        name = parts[0].removeprefix("compare_")
        if parts[1] == "-":
            figures[name] = (None, parts[2], " ".join(parts[4:]))
        else:
            rounds = parts[3] if python and len(parts) > 3 else None
            figures[name] = (float(parts[1]), parts[2], rounds)
    return figures

python, swift = read(sys.argv[1], True), read(sys.argv[2], False)
labels = {
    "bare": "bare",
    "bare_sequential": "bare, Swift with one worker",
    "progress_tty": "progress, pseudo-terminal",
    "progress_file": "progress, file",
    "tracing": "tracing, in-memory",
}
rows = []
for workload, title, unit in [
    ("chain10_run", "chain10 run", "µs/run"),
    ("map3_10k", "map3 × 10,000", "ms/map"),
    ("map3_100k", "map3 × 100,000", "ms/map"),
]:
    for variant in ["bare", "bare_sequential", "progress_tty", "progress_file", "tracing"]:
        name = f"{workload}_{variant}"
        if variant == "bare_sequential":
            if name not in swift:
                continue
            py = python.get(f"{workload}_bare")  # the Python library runs maps one item at a time
        else:
            py = python.get(name)
        sw = swift.get(name)
        if py is None and sw is None:
            continue
        notes = []
        if py is None:
            py_cell = "not measured"
        elif py[0] is None:
            py_cell = "not run"
            notes.append(py[2])
        else:
            py_cell = f"{py[0]:,.1f} (n={py[2]})"
        sw_cell = "not measured" if sw is None else f"{sw[0]:,.3f}" if sw[0] < 10 else f"{sw[0]:,.1f}"
        ratio = ""
        if py is not None and py[0] is not None and sw is not None and sw[0] > 0:
            r = py[0] / sw[0]
            ratio = f"{r:.2f}×" if r < 1 else f"{r:.1f}×" if r < 10 else f"{r:,.0f}×"
        rows.append((f"{title}, {labels[variant]} ({unit})", py_cell, sw_cell, ratio, notes))
header = ("scenario", "Python", "Swift", "Python ÷ Swift")
widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
def line(cells):
    return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
print(line(header))
print("|" + "|".join(("-" * (w + 1) + ":") if i else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|")
footnotes = []
for row in rows:
    print(line(row[:4]))
    footnotes += [f"{row[0]}: {n}" for n in row[4]]
print()
print("Python: median of n rounds; Swift: median of 11 rounds (7 for 100,000 items; 3 with --quick).")
for note in footnotes:
    print(f"not run: {note}")
EOF
