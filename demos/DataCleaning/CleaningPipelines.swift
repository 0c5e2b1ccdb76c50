import HyperNodes

/// The demo's three pipelines: `load` reads the file into rows, `clean_row` cleans one row
/// (mapped over the rows, with a failure policy), `report` drops repeats and sums up.
enum CleaningPipelines {
    /// `load`: `read_rows` splits the file into its rows, checking the header.
    static func load(cache: (any CacheStore)?, callbacks: [any PipelineCallback]) throws -> Pipeline {
        let readRows = Node("read_rows", inputs: "csv", output: "rows") { (csv: String) throws -> [RawRow] in
            try CustomerFile.rows(of: csv)
        }
        return try Pipeline(nodes: [readRows], name: "load", cache: cache, callbacks: callbacks)
    }

    /// `clean_row`: `split_fields` → `parse_record` → `validate`, for one row. Each may reject the
    /// row with a ``RowError``. `split_fields` first waits `pace` (to make the run watchable).
    static func cleanRow(
        pace: Duration, cache: (any CacheStore)?, callbacks: [any PipelineCallback], maxConcurrency: Int
    ) throws -> Pipeline {
        let split = Node("split_fields", inputs: "row", output: "fields") { (row: RawRow) async throws -> RowFields in
            if pace > .zero { try await Task.sleep(for: pace) }
            return try RowCleaner.split(row)
        }
        let parse = Node("parse_record", inputs: "fields", output: "parsed") { (fields: RowFields) throws -> Customer in
            try RowCleaner.parse(fields)
        }
        let validate = Node("validate", inputs: "parsed", output: "customer") {
            (customer: Customer) throws -> Customer in
            try RowCleaner.validate(customer)
        }
        return try Pipeline(
            nodes: [split, parse, validate], name: "clean_row", cache: cache, callbacks: callbacks,
            maxConcurrency: maxConcurrency)
    }

    /// `report`: `deduplicate` drops repeated customers, `summarize` counts and sums.
    static func report(cache: (any CacheStore)?, callbacks: [any PipelineCallback]) throws -> Pipeline {
        let deduplicate = Node(
            "deduplicate", inputs: "customers", outputs: "unique", "duplicates"
        ) { (customers: [Customer]) -> ([Customer], [CleaningSummary.Duplicate]) in
            CleaningSummary.deduplicate(customers)
        }
        let summarize = Node(
            "summarize", inputs: "row_count", "unique", "duplicates", "failures", output: "summary"
        ) { (rows: Int, unique: [Customer], duplicates: [CleaningSummary.Duplicate], failures: [FailedRow]) in
            let cleaned = unique.count + duplicates.count
            return CleaningSummary.summarize(
                rows: rows, cleaned: cleaned, unique: unique, duplicates: duplicates, failures: failures)
        }
        return try Pipeline(nodes: [deduplicate, summarize], name: "report", cache: cache, callbacks: callbacks)
    }
}
