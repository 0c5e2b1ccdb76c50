/// What the `report` pipeline computes from the cleaned rows.
struct CleaningSummary: Codable, Hashable, Sendable {
    /// Rows read from the file.
    var rows: Int
    /// Rows that were cleaned.
    var cleaned: Int
    /// The rows that could not be cleaned, in file order.
    var failures: [FailedRow]
    /// Cleaned rows dropped because an earlier row has the same e-mail address: (dropped line, kept line).
    var duplicates: [Duplicate]
    /// The customers left, in file order.
    var customers: [Customer]
    /// Customers per country code, by code.
    var countries: [String: Int]
    /// Total spend in cents per signup year.
    var spendByYear: [Int: Int]

    /// A row dropped as a repeat of an earlier one.
    struct Duplicate: Codable, Hashable, Sendable {
        var line: Int
        var keptLine: Int
    }

    /// Every result as text, one item a line: what the digest covers.
    var canonicalText: String {
        var lines = ["rows \(rows) cleaned \(cleaned)"]
        lines += failures.map { "failed \($0.item) \($0.line) \($0.error)" }
        lines += duplicates.map { "duplicate \($0.line) of \($0.keptLine)" }
        lines += customers.map(\.canonical)
        return lines.joined(separator: "\n")
    }

    /// The customers without repeats: the first row of each e-mail address is kept.
    static func deduplicate(_ customers: [Customer]) -> (unique: [Customer], duplicates: [Duplicate]) {
        var firstLine: [String: Int] = [:]
        var unique: [Customer] = []
        var duplicates: [Duplicate] = []
        for customer in customers.sorted(by: { $0.line < $1.line }) {
            if let kept = firstLine[customer.email] {
                duplicates.append(Duplicate(line: customer.line, keptLine: kept))
            } else {
                firstLine[customer.email] = customer.line
                unique.append(customer)
            }
        }
        return (unique, duplicates)
    }

    /// The summary of `unique` customers out of `rows` rows.
    static func summarize(
        rows: Int, cleaned: Int, unique: [Customer], duplicates: [Duplicate], failures: [FailedRow]
    ) -> CleaningSummary {
        var countries: [String: Int] = [:]
        var spend: [Int: Int] = [:]
        for customer in unique {
            countries[customer.country, default: 0] += 1
            spend[customer.signup.year, default: 0] += customer.cents
        }
        return CleaningSummary(
            rows: rows, cleaned: cleaned, failures: failures.sorted { $0.item < $1.item }, duplicates: duplicates,
            customers: unique, countries: countries, spendByYear: spend)
    }
}
