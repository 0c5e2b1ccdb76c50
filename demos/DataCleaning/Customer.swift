/// A cleaned customer row: every field parsed and normalised.
struct Customer: Codable, Hashable, Sendable {
    /// The row's line number in the file (where it came from; not part of the customer's identity).
    var line: Int
    /// The customer number.
    var id: Int
    /// The name, with single spaces.
    var name: String
    /// The e-mail address, lowercased.
    var email: String
    /// The signup date.
    var signup: CivilDate
    /// The ISO 3166 code of the country.
    var country: String
    /// The lifetime spend, in cents.
    var cents: Int

    /// The row as one canonical line, for the digest.
    var canonical: String {
        "\(id),\(name),\(email),\(signup),\(country),\(cents)"
    }
}

/// A calendar date without a time zone.
struct CivilDate: Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int

    /// The date, or `nil` if there is no such day (month 13, February 30, …).
    init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
