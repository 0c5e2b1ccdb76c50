"""The Python side of `benchmarks/compare-python.sh`.

Runs the scenarios of `hypernodes-bench compare` with the Python library
`hypernodes` (0.4.8): a 10-node chain `run`, and a 3-node `map` over 10,000
and 100,000 items, each bare, with the library's progress callback (to a
pseudo-terminal and to a file) and with its telemetry callback (Logfire spans
kept by an OpenTelemetry in-memory exporter, nothing sent).

stdout: one line per scenario, `name value unit rounds`, where value is the
median over `rounds` timed rounds; a scenario that was not run prints
`name - unit 0 reason...`. stderr: what is being measured and the spread.

Every timed round is checked (the chain's last result, the sum of the map's
results, the number of spans recorded); a wrong result stops the script with
exit status 1.
"""

import argparse
import fcntl
import gc
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

from hypernodes import Pipeline, node
from hypernodes.engines import SeqEngine
from hypernodes.telemetry import ProgressCallback, TelemetryCallback

COLUMNS, ROWS = 120, 40
CHAIN_LENGTH = 10


# The chain: node i reads v{i} and writes v{i+1} = v{i} + 1 (as EngineSuite.chainNodes).
@node(output_name="v1")
def n0(v0):
    return v0 + 1


@node(output_name="v2")
def n1(v1):
    return v1 + 1


@node(output_name="v3")
def n2(v2):
    return v2 + 1


@node(output_name="v4")
def n3(v3):
    return v3 + 1


@node(output_name="v5")
def n4(v4):
    return v4 + 1


@node(output_name="v6")
def n5(v5):
    return v5 + 1


@node(output_name="v7")
def n6(v6):
    return v6 + 1


@node(output_name="v8")
def n7(v7):
    return v7 + 1


@node(output_name="v9")
def n8(v8):
    return v8 + 1


@node(output_name="v10")
def n9(v9):
    return v9 + 1


CHAIN_NODES = [n0, n1, n2, n3, n4, n5, n6, n7, n8, n9]


# map3: a = x + 1, b = 2a, c = b - 3 (as EngineSuite.map3Nodes).
@node(output_name="a")
def a(x):
    return x + 1


@node(output_name="b")
def b(a):
    return 2 * a


@node(output_name="c")
def c(b):
    return b - 3


MAP3_NODES = [a, b, c]


def log(message):
    print(message, file=sys.stderr, flush=True)


def fail(message):
    log(f"compare.py: FAILED: {message}")
    sys.exit(1)


class Destination:
    """Where a progress scenario's output goes: fds 1 and 2 are pointed at a
    pseudo-terminal (drained by a `cat` child process, as a terminal emulator
    would read it) or at a regular file for the scenario, then restored."""

    def __init__(self, kind, directory):
        self.kind = kind
        self.directory = directory
        self.saved = None
        self.target = None
        self.drain = None
        self.path = None

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        if self.kind == "tty":
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            self.drain = subprocess.Popen(
                ["cat"], stdin=master, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            os.close(master)
            self.target = slave
        else:
            fd, self.path = tempfile.mkstemp(prefix="progress-", suffix=".txt", dir=self.directory)
            self.target = fd
        self.saved = (os.dup(1), os.dup(2))
        os.dup2(self.target, 1)
        os.dup2(self.target, 2)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for fd in self.saved:
            os.close(fd)
        os.close(self.target)
        if self.drain is not None:
            # The drain sees end of file (EIO) once the last slave fd is closed.
            self.drain.wait(timeout=30)
        written = None
        if self.path is not None:
            written = os.path.getsize(self.path)
            os.unlink(self.path)
        if written is not None:
            log(f"    progress wrote {written:,} bytes to the file")
        return False


class Tracing:
    """Logfire configured not to send anything and without console output;
    every finished span goes to an OpenTelemetry InMemorySpanExporter through
    a SimpleSpanProcessor (exported as it ends), as swift-distributed-tracing's
    InMemoryTracer keeps every finished span."""

    def __init__(self):
        import logfire
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        self.exporter = InMemorySpanExporter()
        logfire.configure(
            send_to_logfire=False,
            console=False,
            additional_span_processors=[SimpleSpanProcessor(self.exporter)],
        )

    def take(self, expected, what):
        spans = len(self.exporter.get_finished_spans())
        self.exporter.clear()
        if spans != expected:
            fail(f"{what} recorded {spans} spans, expected {expected}")


def chain_pipeline(callbacks):
    return Pipeline(nodes=CHAIN_NODES, name="chain10", engine=SeqEngine(callbacks=callbacks))


def map3_pipeline(callbacks):
    return Pipeline(nodes=MAP3_NODES, name="map3", engine=SeqEngine(callbacks=callbacks))


def time_chain(pipeline, runs):
    """Seconds per run over `runs` consecutive runs; the last result is checked."""
    inputs = {"v0": 0}
    result = None
    start = time.perf_counter()
    for _ in range(runs):
        result = pipeline.run(inputs=inputs)
    elapsed = time.perf_counter() - start
    if result.get(f"v{CHAIN_LENGTH}") != CHAIN_LENGTH:
        fail(f"chain run returned {result.get(f'v{CHAIN_LENGTH}')!r}, expected {CHAIN_LENGTH}")
    return elapsed / runs


def time_map(pipeline, items):
    """Seconds for one map of map3 over `items`; the results are checked
    outside the timed region (for x = 0..<n: c = 2x - 1, sum = n(n - 2))."""
    inputs = {"x": list(range(items))}
    start = time.perf_counter()
    results = pipeline.map(inputs=inputs, map_over="x")
    elapsed = time.perf_counter() - start
    if len(results) != items:
        fail(f"map3 returned {len(results)} items, expected {items}")
    total = sum(r["c"] for r in results)
    if total != items * (items - 2) or results[0]["c"] != -1 or results[-1]["c"] != 2 * (items - 1) - 1:
        fail(f"map3 sum of c is {total}, expected {items * (items - 2)}")
    return elapsed


class Runner:
    def __init__(self, args):
        self.args = args
        self.directory = tempfile.mkdtemp(prefix="hn-compare-")
        self.tracing = None
        self.round_seconds = {}  # a scenario's median round time, to estimate the 100k from the 10k

    def report(self, name, samples, unit, scale):
        value = statistics.median(samples) * scale
        spread = 100 * (max(samples) - min(samples)) / statistics.median(samples)
        log(
            f"  {name}: median {value:.3f} {unit}, min {min(samples) * scale:.3f}, "
            f"max {max(samples) * scale:.3f}, spread {spread:.1f}% (n={len(samples)})"
        )
        print(f"{name} {value:.3f} {unit} {len(samples)}", flush=True)

    def skip(self, name, unit, reason):
        log(f"  {name}: not run: {reason}")
        print(f"{name} - {unit} 0 {reason}", flush=True)

    def rounds(self, measure, max_rounds, after=None):
        """Runs `measure` until `max_rounds` rounds or the time budget is
        spent (at least one round); returns the samples."""
        samples = []
        started = time.perf_counter()
        while len(samples) < max_rounds:
            samples.append(measure())
            if after is not None:
                after()
            if time.perf_counter() - started >= self.args.budget:
                break
        return samples

    def variant(self, kind):
        """(callbacks, destination or None, span check) for a variant."""
        if kind == "bare":
            return [], None
        if kind in ("progress_tty", "progress_file"):
            return [ProgressCallback()], kind.removeprefix("progress_")
        if kind == "tracing":
            if self.tracing is None:
                self.tracing = Tracing()
            return [TelemetryCallback()], None
        raise ValueError(kind)

    def chain(self, kind):
        name = f"compare_chain10_run_{kind}"
        if not self.wanted(name):
            return
        callbacks, destination = self.variant(kind)
        pipeline = chain_pipeline(callbacks)
        check = None
        with Destination(destination, self.directory) if destination else nullcontext():
            # Warm-up, and a batch size of about half a second.
            probe = time_chain(pipeline, 20)
            if kind == "tracing":
                self.tracing.take(20 * (1 + CHAIN_LENGTH), "20 chain runs")
            runs = max(10, min(5_000, int(0.5 / probe)))
            if kind == "tracing":

                def check():
                    self.tracing.take(runs * (1 + CHAIN_LENGTH), f"{runs} chain runs")

            samples = self.rounds(lambda: time_chain(pipeline, runs), self.args.rounds, check)
        log(f"chain10 {kind}: batches of {runs} runs")
        self.report(name, samples, "us", 1e6)

    def map3(self, kind, items):
        label = f"{items // 1000}k"
        name = f"compare_map3_{label}_{kind}"
        if not self.wanted(name):
            return
        estimate = None
        smaller = self.round_seconds.get((kind, items // 10))
        if smaller is not None:
            estimate = 10 * smaller
            if estimate > self.args.max_round_seconds:
                self.skip(
                    name,
                    "ms",
                    f"one round would take about {estimate:.0f} s (10 x the {items // 10:,}-item round), "
                    f"over the {self.args.max_round_seconds:.0f} s cap",
                )
                return
        callbacks, destination = self.variant(kind)
        pipeline = map3_pipeline(callbacks)
        check = None
        if kind == "tracing":

            def check():
                self.tracing.take(1 + 5 * items, f"a map of {items} items")

        max_rounds = self.args.rounds
        if estimate is not None and estimate * 2 > self.args.budget:
            max_rounds = max(1, min(max_rounds, int(self.args.budget // estimate)))
        log(f"map3 {kind}: up to {max_rounds} maps of {items:,} items (budget {self.args.budget:.0f} s)")
        with Destination(destination, self.directory) if destination else nullcontext():
            time_map(pipeline, 500)  # warm-up
            if check is not None:
                self.tracing.take(1 + 5 * 500, "a map of 500 items")
            gc.collect()
            samples = self.rounds(lambda: time_map(pipeline, items), max_rounds, check)
        self.round_seconds[(kind, items)] = statistics.median(samples)
        self.report(name, samples, "ms", 1e3)

    def wanted(self, name):
        return not self.args.only or any(part in name for part in self.args.only.split(","))

    def run(self):
        import hypernodes

        from importlib.metadata import version

        log(
            f"compare.py: hypernodes {version('hypernodes')} (module says {hypernodes.__version__}), "
            f"Python {sys.version.split()[0]}, progress to a {COLUMNS}x{ROWS} pseudo-terminal or a file, "
            f"up to {self.args.rounds} rounds or {self.args.budget:.0f} s per scenario"
        )
        kinds = ["bare", "progress_tty", "progress_file", "tracing"]
        for kind in kinds:
            self.chain(kind)
        for items in (10_000, 100_000):
            for kind in kinds:
                self.map3(kind, items)
        os.rmdir(self.directory)


class nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="most timed rounds per scenario (default 7)")
    parser.add_argument(
        "--budget", type=float, default=30, help="seconds after which a scenario takes no further round (default 30)"
    )
    parser.add_argument(
        "--max-round-seconds",
        type=float,
        default=150,
        help="skip a 100,000-item scenario whose one round is estimated (10 x the 10,000-item one) above this",
    )
    parser.add_argument("--only", default="", help="comma-separated parts of scenario names to run")
    args = parser.parse_args()
    if args.rounds < 1 or args.budget <= 0 or args.max_round_seconds <= 0:
        parser.error("--rounds, --budget and --max-round-seconds must be positive")
    os.environ.setdefault("TERM", "xterm-256color")
    Runner(args).run()


if __name__ == "__main__":
    main()
