import Foundation
import HyperNodesTrace
import Testing

/// The `cleaning` demo end to end, under both failure policies: with `collect` every
/// row is accounted for and the failed ones are listed with their errors, in the output
/// and in the trace; with `stop` the program ends with the first failing row's error.
@Suite("cleaning demo")
struct CleaningDemoTests {
    /// A small customer file with one row of each kind: clean, written carelessly,
    /// each defect, and a repeated customer.
    static let file = """
        id,name,email,signup_date,country,amount
        1, Ada  Lovelace ,Ada@Example.com,2020-03-01,de,$12.50
        2,Alan Turing,alan@example.org,15/06/2021,France,1 234.5
        3,Grace Hopper,grace@example.net,2019/12/31,usa
        4,Edsger Dijkstra,edsger@example.com,2021-02-30,fr,10
        5,Barbara Liskov,barbara@example.com,2022-01-05,japan,-3.00
        6,Ada Lovelace,ada@example.com,2023-07-01,DE,1
        7,Donald Knuth,donald.example.com,2020-01-01,us,5
        8,Ken Thompson,ken@example.com,2026-01-01,in,7

        """

    /// The report row `label` of a run's output.
    static func row(_ label: String, _ output: RunOutput) -> String? {
        output.stdout.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map {
            $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The failed rows the report lists: the `Failed rows` row and the unlabelled rows after it.
    static func failedRows(_ output: RunOutput) -> [String] {
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.firstIndex(where: { $0.hasPrefix("Failed rows ") }) else { return [] }
        var rows = [String(lines[first].dropFirst("Failed rows".count)).trimmingCharacters(in: .whitespaces)]
        for line in lines[(first + 1)...] {
            guard line.hasPrefix("             "), !line.trimmingCharacters(in: .whitespaces).isEmpty else { break }
            rows.append(line.trimmingCharacters(in: .whitespaces))
        }
        return rows
    }

    /// Writes the customer file to a new directory and returns the directory and the file's path.
    static func writeFile() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory("hn-cleaning")
        let path = directory.url.appendingPathComponent("customers.csv").path
        try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test("collect: each defective row of a file fails with its line, field and node; the others are cleaned")
    func collectListsEveryFailedRow() async throws {
        let (directory, path) = try Self.writeFile()
        let trace = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await Executable.run(
            ["--input", path, "--no-cache", "--concurrency", "2", "--record", trace], product: "cleaning")
        #expect(run.status == 0, "\(run)")
        #expect(Self.row("Rows", run) == "8 read, 3 cleaned, 5 failed", "\(run.stdout)")
        let failed = Self.failedRows(run)
        #expect(failed.count == 5, "\(run.stdout)")
        let expected = [
            "clean_row[2] > split_fields: line 4: 5 fields, expected 6",
            "clean_row[3] > parse_record: line 5: signup_date '2021-02-30' is not a date",
            "clean_row[4] > validate: line 6: amount is negative (-3.00)",
            "clean_row[6] > validate: line 8: email 'donald.example.com' is not an address",
            "clean_row[7] > validate: line 9: signup_date 2026-01-01 is after the export date 2025-06-30",
        ]
        for (line, prefix) in zip(failed, expected) { #expect(line.hasPrefix(prefix), "\(line)") }
        #expect(Self.row("Rejected by", run) == "parse_record 1  split_fields 1  validate 3", "\(run.stdout)")
        #expect(Self.row("Duplicates", run)?.contains("line 7 repeats 2") == true, "\(run.stdout)")
        #expect(Self.row("Customers", run) == "2 unique", "\(run.stdout)")
        #expect(Self.row("Countries", run) == "DE 1  FR 1", "\(run.stdout)")

        // The trace: the map ended well and counts its five failed items, each an item span with an error.
        let model = try TraceModel(path: trace)
        #expect(model.problems.isEmpty)
        #expect(model.runs.map(\.name) == ["load", "clean_row", "report"])
        #expect(model.runs.map(\.status) == [.ok, .ok, .ok])
        let map = try #require(model.runs[1].maps.first)
        #expect(map.items == 8 && map.done == 8 && map.failed == 5, "\(map)")
        let failedItems = model.runs[1].spans.filter { $0.kind == .mapItem && $0.status == .error }
        #expect(failedItems.compactMap(\.itemIndex).sorted() == [2, 3, 4, 6, 7])
        #expect(failedItems.allSatisfy { $0.error != nil })
    }

    @Test("stop: the first defective row ends the run with status 1 and its error, and no report")
    func stopEndsWithTheFirstError() async throws {
        let (directory, path) = try Self.writeFile()
        let trace = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await Executable.run(
            ["--input", path, "--no-cache", "--concurrency", "1", "--on-failure", "stop", "--record", trace],
            product: "cleaning")
        #expect(run.status == 1, "\(run)")
        #expect(
            run.stderr.contains(
                "cleaning: error: the map stopped at the first failing row (--on-failure stop): "
                    + "clean_row[2] > split_fields: line 4: 5 fields, expected 6"), "\(run)")
        #expect(!run.stdout.contains("Digest"), "\(run)")
        let model = try TraceModel(path: trace)
        #expect(model.problems.isEmpty)
        #expect(model.runs.map(\.name) == ["load", "clean_row"])
        #expect(model.runs.map(\.status) == [.ok, .error])
        #expect(model.runs.allSatisfy { $0.isComplete })
    }

    @Test("collect on generated rows: every row is cleaned or failed, the same with one worker or three, paced or not")
    func generatedRowsAreDeterministic() async throws {
        let arguments = ["--rows", "150", "--no-cache"]
        let sequential = try await Executable.run(arguments + ["--concurrency", "1"], product: "cleaning")
        let paced = try await Executable.run(arguments + ["--concurrency", "3", "--pace", "1"], product: "cleaning")
        #expect(sequential.status == 0 && paced.status == 0, "\(sequential)\n\(paced)")
        let counts = try #require(Self.row("Rows", sequential)).split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 3 && counts[0] == 150 && counts[1] + counts[2] == 150, "\(sequential.stdout)")
        #expect(counts[2] > 0, "\(sequential.stdout)")
        let failed = Self.failedRows(sequential)
        #expect(failed.count == counts[2], "\(sequential.stdout)")
        let pattern = /clean_row\[\d+\] > (split_fields|parse_record|validate): line \d+: .+/
        #expect(failed.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(failed)")
        let digest = try #require(Self.row("Digest", sequential))
        #expect(Self.row("Digest", paced) == digest, "\(paced)")
        #expect(Self.failedRows(paced) == failed)
        // With stop, the run ends at the first of those rows.
        let stopped = try await Executable.run(
            arguments + ["--concurrency", "1", "--on-failure", "stop"], product: "cleaning")
        #expect(stopped.status == 1, "\(stopped)")
        #expect(stopped.stderr.contains("(--on-failure stop): \(failed[0])"), "\(stopped)\n\(failed[0])")
    }

    @Test("a missing input file or a wrong header gets a message naming the file or the header")
    func badInput() async throws {
        let missing = try await Executable.run(["--input", "/nonexistent/customers.csv"], product: "cleaning")
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("--input: cannot read '/nonexistent/customers.csv'"), "\(missing)")
        let directory = TemporaryDirectory("hn-cleaning-header")
        let path = directory.url.appendingPathComponent("bad.csv").path
        try Data("name,email\nAda,ada@example.com\n".utf8).write(to: URL(fileURLWithPath: path))
        let header = try await Executable.run(["--input", path, "--no-cache"], product: "cleaning")
        #expect(header.status == 1, "\(header)")
        #expect(header.stderr.contains("name,email"), "\(header)")
        #expect(!header.stdout.contains("Digest"), "\(header)")
    }
}
