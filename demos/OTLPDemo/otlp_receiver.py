#!/usr/bin/env python3
"""A small OTLP/HTTP trace receiver for tests and for looking at spans.

Listens on loopback, accepts `POST /v1/traces` bodies in OTLP protobuf
(optionally gzip-compressed), decodes them with the official OpenTelemetry
protobuf definitions (PyPI `opentelemetry-proto`, `protobuf`) and appends one
JSON object per span to the output file (or stdout):

    {"trace_id": hex, "span_id": hex, "parent_span_id": hex or "",
     "name": ..., "kind": ..., "start_ns": ..., "end_ns": ...,
     "status": {"code": "ok"|"error"|"unset", "message": ...},
     "attributes": {...}, "events": [{"name": ..., "attributes": {...}}],
     "resource": {...}, "scope": ..., "headers": {"authorization": ...}}

Usage:
    python3 otlp_receiver.py [--port 0] [--port-file FILE] [--output FILE] [--max-seconds 900]

With --port 0 (default) the system picks a free port; the port is written to
--port-file (atomically) and printed on stdout as `listening 127.0.0.1:PORT`.
The receiver stops on SIGTERM/SIGINT or after --max-seconds.
"""

import argparse
import gzip
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from google.protobuf.message import DecodeError
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
    from opentelemetry.proto.trace.v1 import trace_pb2
except ImportError as error:  # pragma: no cover - reported to the caller
    sys.stderr.write(
        f"otlp_receiver: missing Python package ({error}); "
        "install them with: python3 -m pip install opentelemetry-proto protobuf\n"
    )
    sys.exit(3)

STATUS_CODES = {
    trace_pb2.Status.STATUS_CODE_UNSET: "unset",
    trace_pb2.Status.STATUS_CODE_OK: "ok",
    trace_pb2.Status.STATUS_CODE_ERROR: "error",
}


def any_value(value):
    """The Python value of an OTLP AnyValue."""
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


def attributes(key_values):
    return {kv.key: any_value(kv.value) for kv in key_values}


def spans_of(request, headers):
    """Every span of an ExportTraceServiceRequest as a plain dictionary."""
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                yield {
                    "trace_id": span.trace_id.hex(),
                    "span_id": span.span_id.hex(),
                    "parent_span_id": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": trace_pb2.Span.SpanKind.Name(span.kind),
                    "start_ns": span.start_time_unix_nano,
                    "end_ns": span.end_time_unix_nano,
                    "status": {
                        "code": STATUS_CODES.get(span.status.code, str(span.status.code)),
                        "message": span.status.message,
                    },
                    "attributes": attributes(span.attributes),
                    "events": [
                        {"name": event.name, "time_ns": event.time_unix_nano, "attributes": attributes(event.attributes)}
                        for event in span.events
                    ],
                    "resource": resource,
                    "scope": scope_spans.scope.name,
                    "headers": headers,
                }


class Receiver(BaseHTTPRequestHandler):
    output = sys.stdout
    lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        sys.stderr.write("otlp_receiver: " + (format % args) + "\n")

    def reply(self, status, body=b"", content_type="application/x-protobuf"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, status, message):
        self.log_message("%s", message)
        self.reply(status, message.encode(), "text/plain; charset=utf-8")

    def do_POST(self):  # noqa: N802 - the base class's name
        if self.path.rstrip("/") != "/v1/traces":
            return self.refuse(404, f"only /v1/traces is served, not {self.path}")
        content_type = self.headers.get("Content-Type", "")
        if "protobuf" not in content_type:
            return self.refuse(415, f"expected application/x-protobuf, got {content_type or 'no Content-Type'}")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self.refuse(411, "a Content-Length header is required")
        body = self.rfile.read(length)
        if self.headers.get("Content-Encoding", "") == "gzip":
            try:
                body = gzip.decompress(body)
            except OSError as error:
                return self.refuse(400, f"body is not valid gzip: {error}")
        request = trace_service_pb2.ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except DecodeError as error:
            return self.refuse(400, f"body is not an ExportTraceServiceRequest: {error}")
        headers = {"authorization": self.headers.get("Authorization", "")}
        lines = [json.dumps(span, sort_keys=True) + "\n" for span in spans_of(request, headers)]
        with Receiver.lock:
            Receiver.output.writelines(lines)
            Receiver.output.flush()
        self.reply(200, trace_service_pb2.ExportTraceServiceResponse().SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--output", help="append spans here as JSON lines (default: stdout)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop after this long (default 900)")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    if args.max_seconds <= 0:
        parser.error(f"--max-seconds must be positive, not {args.max_seconds}")

    if args.output:
        Receiver.output = open(args.output, "a", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Receiver)
    port = server.server_address[1]
    if args.port_file:
        temporary = args.port_file + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(f"{port}\n")
        os.replace(temporary, args.port_file)
    print(f"listening 127.0.0.1:{port}", flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.max_seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if Receiver.output is not sys.stdout:
            Receiver.output.close()


if __name__ == "__main__":
    main()
