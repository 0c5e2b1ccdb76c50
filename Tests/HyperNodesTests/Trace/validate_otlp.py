#!/usr/bin/env python3
"""Validates an OTLP JSON lines file against the official OpenTelemetry
protobuf definitions and prints its span trees as JSON.

Each line must parse with google.protobuf.json_format.Parse into
opentelemetry.proto.trace.v1.trace_pb2.TracesData (unknown fields are an
error). Trace and span ids are written in hex, as OTLP JSON requires; the
generic protobuf JSON parser reads them as base64 bytes, so they are turned
back into text and checked to be 32 and 16 lowercase hex digits.

Output (stdout, one JSON document): a list with one entry per line:
{"resource": {key: value}, "scope": name, "traces": [{"trace_id": ...,
"roots": [tree]}]}, where a tree node is {"name", "span_id", "kind",
"start", "end", "status_code", "status_message", "attributes", "events",
"children"}. Exit status 1 and a message on stderr for the first problem.
"""
import base64
import json
import re
import sys

from google.protobuf import json_format
from opentelemetry.proto.trace.v1 import trace_pb2

HEX = re.compile(r"^[0-9a-f]+$")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def hex_id(raw, digits, what, where):
    if not raw:
        return ""
    text = base64.b64encode(raw).decode("ascii")
    if len(text) != digits or not HEX.match(text):
        fail(f"{where}: {what} is not {digits} lowercase hex digits: {text!r}")
    if set(text) == {"0"}:
        fail(f"{where}: {what} is all zeros")
    return text


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "int_value":
        return int(any_value.int_value)
    if kind == "bool_value":
        return bool(any_value.bool_value)
    if kind == "string_value":
        return any_value.string_value
    if kind == "double_value":
        return any_value.double_value
    fail(f"unexpected attribute value kind {kind}")


def attributes(key_values):
    return {kv.key: value(kv.value) for kv in key_values}


def main(path):
    output = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            data = trace_pb2.TracesData()
            try:
                json_format.Parse(line, data)
            except json_format.ParseError as error:
                fail(f"{where}: not a valid TracesData: {error}")
            for resource_spans in data.resource_spans:
                resource = attributes(resource_spans.resource.attributes)
                for scope_spans in resource_spans.scope_spans:
                    nodes = {}
                    order = []
                    trace_ids = {}
                    for span in scope_spans.spans:
                        span_id = hex_id(span.span_id, 16, "span id", where)
                        if not span_id:
                            fail(f"{where}: span {span.name!r} has no span id")
                        if span_id in nodes:
                            fail(f"{where}: span id {span_id} is used twice")
                        trace_id = hex_id(span.trace_id, 32, "trace id", where)
                        if span.end_time_unix_nano < span.start_time_unix_nano:
                            fail(f"{where}: span {span.name!r} ends before it starts")
                        nodes[span_id] = {
                            "name": span.name,
                            "span_id": span_id,
                            "parent": hex_id(span.parent_span_id, 16, "parent span id", where),
                            "trace_id": trace_id,
                            "kind": int(span.kind),
                            "start": int(span.start_time_unix_nano),
                            "end": int(span.end_time_unix_nano),
                            "status_code": int(span.status.code),
                            "status_message": span.status.message,
                            "attributes": attributes(span.attributes),
                            "events": [
                                {"name": event.name, "time": int(event.time_unix_nano),
                                 "attributes": attributes(event.attributes)}
                                for event in span.events
                            ],
                            "children": [],
                        }
                        order.append(span_id)
                        trace_ids.setdefault(trace_id, [])
                    for span_id in order:
                        node = nodes[span_id]
                        parent = node.pop("parent")
                        if parent:
                            if parent not in nodes:
                                fail(f"{where}: span {node['name']!r} has unknown parent {parent}")
                            nodes[parent]["children"].append(node)
                        else:
                            trace_ids[node["trace_id"]].append(node)
                    output.append({
                        "resource": resource,
                        "scope": scope_spans.scope.name,
                        "traces": [{"trace_id": t, "roots": roots} for t, roots in trace_ids.items()],
                    })
    json.dump(output, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: validate_otlp.py FILE.jsonl")
    main(sys.argv[1])
