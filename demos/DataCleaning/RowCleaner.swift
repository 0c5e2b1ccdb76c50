import Foundation

/// The cleaning rules, as pure functions: split a row into fields, parse them, check the result.
/// Each throws a ``RowError`` naming the line and the field.
enum RowCleaner {
    /// The latest signup date the data can hold (the file was exported then).
    static let exportDate = CivilDate(year: 2025, month: 6, day: 30)!

    /// Countries by ISO code and by the names the file uses for them.
    static let countries: [String: String] = [
        "de": "DE", "germany": "DE", "deutschland": "DE",
        "fr": "FR", "france": "FR",
        "us": "US", "usa": "US", "united states": "US",
        "jp": "JP", "japan": "JP",
        "br": "BR", "brazil": "BR", "brasil": "BR",
        "in": "IN", "india": "IN",
    ]

    /// The row's fields, trimmed.
    static func split(_ row: RawRow) throws(RowError) -> RowFields {
        let values = row.text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let expected = CustomerFile.Column.allCases.count
        guard values.count == expected else {
            throw .fieldCount(line: row.line, expected: expected, actual: values.count)
        }
        return RowFields(line: row.line, values: values)
    }

    /// The fields parsed into a customer: dates in three layouts, amounts with a currency
    /// sign or spaces between thousands, countries by code or name, any case.
    static func parse(_ fields: RowFields) throws(RowError) -> Customer {
        let line = fields.line
        func required(_ column: CustomerFile.Column) throws(RowError) -> String {
            let value = fields[column]
            if value.isEmpty { throw .missing(line: line, field: column.name) }
            return value
        }
        let idText = try required(.id)
        guard let id = Int(idText), id > 0 else {
            throw .unparsable(line: line, field: "id", text: idText, expected: "a positive whole number")
        }
        let name = try required(.name).split(separator: " ").joined(separator: " ")
        let email = try required(.email).lowercased()
        let dateText = try required(.signupDate)
        guard let signup = parseDate(dateText) else {
            throw .unparsable(
                line: line, field: "signup_date", text: dateText,
                expected: "a date (YYYY-MM-DD, DD/MM/YYYY or YYYY/MM/DD)")
        }
        let countryText = try required(.country)
        guard let country = countries[countryText.lowercased()] else {
            throw .unparsable(line: line, field: "country", text: countryText, expected: "a known country")
        }
        let amountText = try required(.amount)
        guard let cents = parseCents(amountText) else {
            throw .unparsable(line: line, field: "amount", text: amountText, expected: "an amount (like 1 234.50)")
        }
        return Customer(
            line: line, id: id, name: name, email: email, signup: signup, country: country, cents: cents)
    }

    /// Checks the rules a parsed customer must follow.
    static func validate(_ customer: Customer) throws(RowError) -> Customer {
        let parts = customer.email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
            throw .invalid(line: customer.line, field: "email", reason: "'\(customer.email)' is not an address")
        }
        guard customer.cents >= 0 else {
            throw .invalid(line: customer.line, field: "amount", reason: "is negative (\(money(customer.cents)))")
        }
        guard customer.signup <= exportDate else {
            throw .invalid(
                line: customer.line, field: "signup_date",
                reason: "\(customer.signup) is after the export date \(exportDate)")
        }
        return customer
    }

    /// `YYYY-MM-DD`, `DD/MM/YYYY` or `YYYY/MM/DD`, or `nil`.
    static func parseDate(_ text: String) -> CivilDate? {
        let separator: Character = text.contains("-") ? "-" : "/"
        let parts = text.split(separator: separator, omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
        let first = text.split(separator: separator)[0]
        if first.count == 4 { return CivilDate(year: a, month: b, day: c) }
        if separator == "/" && String(text.split(separator: "/")[2]).count == 4 {
            return CivilDate(year: c, month: b, day: a)
        }
        return nil
    }

    /// An amount in cents: optional `$` or `EUR`, optional spaces between thousands, at most two
    /// decimals, a leading minus allowed (the rules reject it later). `nil` when it is not one.
    static func parseCents(_ text: String) -> Int? {
        var body = text
        for mark in ["$", "EUR", "€"] { body = body.replacingOccurrences(of: mark, with: "") }
        body = body.replacingOccurrences(of: " ", with: "")
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body.removeFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        func digits(_ part: Substring) -> Bool { part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9, digits(parts[0]),
            let whole = Int(parts[0])
        else { return nil }
        var cents = whole * 100
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), digits(fraction), let value = Int(fraction) else {
                return nil
            }
            cents += fraction.count == 1 ? value * 10 : value
        }
        return negative ? -cents : cents
    }

    /// Cents as `1234.50`.
    static func money(_ cents: Int) -> String {
        let sign = cents < 0 ? "-" : ""
        let value = abs(cents)
        let fraction = value % 100
        return "\(sign)\(value / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
