import Foundation

/// Generates the demo's messy customer file, deterministically from a seed.
///
/// Most rows are valid but written carelessly (stray spaces, mixed case, three date layouts,
/// amounts with a currency sign or spaces between thousands, countries by code or by name);
/// about one in eleven has a defect that cleaning must reject (a missing or extra field, an
/// empty field, an impossible date, an unparsable amount, an unknown country, a negative
/// amount, an address without `@`, a signup after the export date), and about one in twenty
/// repeats an earlier customer, written differently.
enum RecordGenerator {
    /// The share of rows with a defect.
    static let defectRate = 0.09
    /// The share of rows that repeat an earlier customer.
    static let duplicateRate = 0.05

    static let firstNames = [
        "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Dennis",
        "Radia", "Ken", "Sophie", "Tim", "Hedy", "Claude", "Katherine", "Niklaus", "Lynn", "Guido",
    ]
    static let lastNames = [
        "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton",
        "Ritchie", "Perlman", "Thompson", "Wilson", "Berners-Lee", "Lamarr", "Shannon", "Johnson", "Wirth",
        "Conway", "van Rossum",
    ]
    static let domains = ["example.com", "mail.example.org", "post.example.net"]
    /// Country codes, each with the ways the file writes it.
    static let countries: [(code: String, spellings: [String])] = [
        ("DE", ["DE", "de", "Germany", "Deutschland"]),
        ("FR", ["FR", "fr", "France"]),
        ("US", ["US", "usa", "United States"]),
        ("JP", ["JP", "jp", "Japan"]),
        ("BR", ["BR", "Brazil", "brasil"]),
        ("IN", ["IN", "in", "India"]),
    ]

    /// A customer as generated, before it is written.
    struct Person {
        var id: Int
        var first: String
        var last: String
        var domain: String
        var year: Int
        var month: Int
        var day: Int
        var country: Int
        var cents: Int
    }

    /// The file: the header and `rows` rows.
    static func file(rows: Int, seed: UInt64) -> String {
        var lines = [CustomerFile.header]
        lines.reserveCapacity(rows + 1)
        for row in 0..<rows { lines.append(line(row, seed: seed)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The customer of row `row`, the same whenever it is asked for.
    static func person(_ row: Int, seed: UInt64) -> Person {
        var random = CleaningRandom(seed: seed, stream: UInt64(row) &* 3)
        let year = 2019 + random.next(below: 6)
        let month = 1 + random.next(below: 12)
        return Person(
            id: 10_000 + row, first: random.pick(firstNames), last: random.pick(lastNames),
            domain: random.pick(domains), year: year, month: month,
            day: 1 + random.next(below: CivilDate.days(inMonth: month, of: year)),
            country: random.next(below: countries.count), cents: random.next(below: 2_500_000))
    }

    /// Row `row` as written in the file.
    static func line(_ row: Int, seed: UInt64) -> String {
        var random = CleaningRandom(seed: seed, stream: UInt64(row) &* 3 &+ 1)
        let roll = random.nextUnit()
        var person = person(row, seed: seed)
        if row > 0 && roll >= defectRate && roll < defectRate + duplicateRate {
            person = Self.person(random.next(below: row), seed: seed)  // an earlier customer, again
        }
        var fields = write(person, random: &random)
        if roll < defectRate { damage(&fields, random: &random) }
        return fields.joined(separator: ",")
    }

    /// The fields of `person`, written carelessly.
    static func write(_ person: Person, random: inout CleaningRandom) -> [String] {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        func pad(_ text: String) -> String {
            switch random.next(below: 6) {
            case 0: " " + text
            case 1: text + "  "
            default: text
            }
        }
        let name = random.next(below: 5) == 0 ? "\(person.first)  \(person.last)" : "\(person.first) \(person.last)"
        var email = "\(person.first).\(person.last)\(person.id - 10_000)@\(person.domain)".lowercased()
            .replacingSpaces()
        if random.next(below: 4) == 0 { email = email.uppercased() }
        let date =
            switch random.next(below: 3) {
            case 0: "\(person.year)-\(two(person.month))-\(two(person.day))"
            case 1: "\(two(person.day))/\(two(person.month))/\(person.year)"
            default: "\(person.year)/\(two(person.month))/\(two(person.day))"
            }
        let country = random.pick(countries[person.country].spellings)
        let whole = person.cents / 100
        let fraction = person.cents % 100
        var amount = "\(whole).\(two(fraction))"
        switch random.next(below: 4) {
        case 0: amount = "$" + amount
        case 1 where whole >= 1_000:
            amount = "\(whole / 1_000) \(String(whole % 1_000 + 1_000).dropFirst()).\(two(fraction))"
        case 2: amount += " EUR"
        default: break
        }
        return [pad(String(person.id)), pad(name), pad(email), pad(date), pad(country), pad(amount)]
    }

    /// One defect that cleaning must reject.
    static func damage(_ fields: inout [String], random: inout CleaningRandom) {
        switch random.next(below: 9) {
        case 0: fields.removeLast()  // a truncated row
        case 1: fields.insert("n/a", at: 3)  // an extra field
        case 2: fields[2] = ""  // no e-mail
        case 3: fields[3] = random.pick(["2023-13-02", "31/02/2022", "2021-00-10", "soon", "2024-1O-05"])
        case 4: fields[5] = random.pick(["12.3.4", "about 40", "1,234.50", "12.345", "-"])
        case 5: fields[4] = random.pick(["Atlantis", "XX", "Narnia"])
        case 6: fields[5] = "-" + fields[5].filter { $0.isNumber || $0 == "." }  // a negative amount
        case 7: fields[2] = fields[2].replacingOccurrences(of: "@", with: " at ")  // not an address
        default: fields[3] = random.pick(["2026-01-15", "2031-07-04", "12/12/2029"])  // after the export
        }
    }
}

extension String {
    /// The text with spaces removed (for e-mail addresses made of names like "van Rossum").
    fileprivate func replacingSpaces() -> String { filter { $0 != " " } }
}
