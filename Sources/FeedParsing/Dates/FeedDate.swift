import FoundationEssentials

/// Parses the dates feeds send: W3C-DTF / ISO 8601 (full and partial), RFC 822 with its real-world
/// variants (two-digit years, named and military zones, no seconds, no day name, swapped day and
/// month), and asctime. A date that cannot be read is nil, never a guess.
public enum FeedDate {
    /// The instant `text` denotes, or nil when it is not a date we can read unambiguously.
    public static func parse(_ text: String) -> Date? {
        var copy = text
        return copy.withUTF8 { parse(utf8: $0) }
    }

    /// The instant UTF-8 `text` denotes (see ``parse(_:)``).
    public static func parse(utf8 text: UnsafeBufferPointer<UInt8>) -> Date? {
        // Trim and lower-case ASCII in one pass; dates are short.
        let range = ByteText.trimmedRange(text)
        guard !range.isEmpty, range.count < 100 else { return nil }
        var lower = [UInt8](repeating: 0, count: range.count)
        for (offset, byte) in text[range].enumerated() {
            lower[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        if let date = parseW3CDTF(lower) { return date }
        if let date = parseRFC822(lower) { return date }
        if let date = parseCompactISO8601(lower) { return date }
        // asctime needs day and month names, the slashed form a `/`: numbers alone (epoch
        // seconds in exports) go no further.
        guard lower.contains(where: { ($0 >= 0x61 && $0 <= 0x7A) || $0 == UInt8(ascii: "/") }) else { return nil }
        let string = String(decoding: lower, as: UTF8.self)
        if let date = parseAsctime(string) { return date }
        if let date = parseSlashed(string) { return date }
        return nil
    }

    /// Formats a date as ISO 8601 in UTC with seconds: `2024-05-01T10:00:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var remainder = seconds % 86_400
        if remainder < 0 {
            remainder += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(remainder / 3600, 2)):\(pad(remainder % 3600 / 60, 2)):\(pad(remainder % 60, 2))Z"
    }

    // MARK: - W3C-DTF / ISO 8601 extended

    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then optionally `T` (or a space) and `hh:mm[:ss[.fff]]`
    /// with `Z`, `±hh:mm`, `±hhmm`, `±hh` or a zone name.
    static func parseW3CDTF(_ text: String) -> Date? { parseW3CDTF(Array(text.utf8)) }

    static func parseW3CDTF(_ text: [UInt8]) -> Date? {
        var scanner = Scanner(bytes: text)
        guard let year = scanner.digits(exactly: 4) else { return nil }
        var month = 1, day = 1
        if scanner.take("-") {
            guard let parsedMonth = scanner.digits(exactly: 2) ?? scanner.digits(exactly: 1) else { return nil }
            month = parsedMonth
            if scanner.take("-") {
                guard let parsedDay = scanner.digits(exactly: 2) ?? scanner.digits(exactly: 1) else { return nil }
                day = parsedDay
            }
        } else if !scanner.isAtEnd {
            return nil
        }
        var hour = 0, minute = 0, second = 0
        var offset = 0
        if !scanner.isAtEnd {
            guard scanner.take("t") || scanner.take(" ") else { return nil }
            scanner.skipSpaces()
            guard let time = scanner.time() else { return nil }
            (hour, minute, second) = time
            scanner.skipSpaces()
            if !scanner.isAtEnd {
                guard let zone = scanner.zone(), scanner.isAtEnd else { return nil }
                offset = zone
            }
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    // MARK: - ISO 8601 basic (compact) forms

    /// `YYYYMMDD` with an optional `Thhmmss` or `Thh:mm:ss` and zone.
    static func parseCompactISO8601(_ text: String) -> Date? { parseCompactISO8601(Array(text.utf8)) }

    static func parseCompactISO8601(_ text: [UInt8]) -> Date? {
        var scanner = Scanner(bytes: text)
        guard let year = scanner.fixedDigits(4), let month = scanner.fixedDigits(2),
              let day = scanner.fixedDigits(2) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if scanner.take("t") || scanner.take(" ") {
            if let time = scanner.time() {
                (hour, minute, second) = time
            } else if let h = scanner.fixedDigits(2), let m = scanner.fixedDigits(2) {
                hour = h
                minute = m
                second = scanner.fixedDigits(2) ?? 0
                if scanner.take(".") || scanner.take(",") { scanner.skipDigits() }
            } else {
                return nil
            }
            if !scanner.isAtEnd {
                guard let zone = scanner.zone(), scanner.isAtEnd else { return nil }
                offset = zone
            }
        }
        guard scanner.isAtEnd else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    // MARK: - RFC 822 and its variants

    static func parseRFC822(_ text: String) -> Date? { parseRFC822(Array(text.utf8)) }

    static func parseRFC822(_ bytes: [UInt8]) -> Date? {
        // Fields are separated by spaces and commas: "Sat,07 Sep 2002" works too.
        var parts: [ArraySlice<UInt8>] = []
        var start = -1
        for (index, byte) in bytes.enumerated() {
            let separator = byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: ",")
            if separator {
                if start >= 0 { parts.append(bytes[start..<index]) }
                start = -1
            } else if start < 0 {
                start = index
            }
        }
        if start >= 0 { parts.append(bytes[start...]) }
        // "07-Sep-2002 10:00" style.
        if let first = parts.first, first.contains(UInt8(ascii: "-")) {
            let pieces = first.split(separator: UInt8(ascii: "-"))
            if pieces.count == 3, monthNumber(pieces[1]) != nil { parts = pieces + parts.dropFirst() }
        }
        guard !parts.isEmpty else { return nil }
        var hadDayName = false
        if isDayName(parts[0]) {
            parts.removeFirst()
            hadDayName = true
        }
        guard parts.count >= 3 else { return nil }
        let day: Int
        let month: Int
        if let parsedDay = number(parts[0]), let parsedMonth = monthNumber(parts[1]) {
            day = parsedDay
            month = parsedMonth
        } else if let parsedMonth = monthNumber(parts[0]), let parsedDay = number(parts[1]) {
            day = parsedDay
            month = parsedMonth
        } else {
            return nil
        }
        var yearText = parts[2]
        var rest = Array(parts.dropFirst(3))
        // "Jan 01 10:00:00 2004": the year after the time.
        if yearText.contains(UInt8(ascii: ":")), let last = rest.last, last.count == 4, number(last) != nil {
            rest.removeLast()
            rest.insert(yearText, at: 0)
            yearText = last
        }
        guard yearText.count <= 4, yearText.count != 3, var year = number(yearText) else { return nil }
        if yearText.count <= 2 { year += year < 90 ? 2000 : 1900 }
        var hour = 0, minute = 0, second = 0
        var offset = 0
        if let timeText = rest.first {
            var scanner = Scanner(bytes: Array(timeText))
            if let time = scanner.time() {
                (hour, minute, second) = time
                rest.removeFirst()
                if !scanner.isAtEnd {
                    // "10:00:00+0200" with no space.
                    guard let zone = scanner.zone(), scanner.isAtEnd else { return nil }
                    offset = zone
                }
            } else if timeText.count <= 2, number(timeText) != nil, rest.count == 1 || rest.count == 2 {
                // A bare hour is too ambiguous.
                return nil
            }
        }
        if let zoneText = rest.first {
            var scanner = Scanner(bytes: Array(zoneText))
            guard let zone = scanner.zone(allowUnknownNames: true), scanner.isAtEnd else { return nil }
            offset += zone
        } else if hadDayName && parts.count > 3 && offset == 0 {
            // "Wed, 01 May 2024 10:00:00" names no zone: the instant is unknown (feed readers agree).
            return nil
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    /// A whole token of ASCII digits.
    private static func number(_ token: ArraySlice<UInt8>) -> Int? {
        guard !token.isEmpty, token.count <= 9 else { return nil }
        var value = 0
        for byte in token {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func isDayName(_ token: ArraySlice<UInt8>) -> Bool {
        guard token.count >= 3, token.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return false }
        return dayNames.contains(String(decoding: token.prefix(3), as: UTF8.self))
    }

    static func monthNumber(_ name: ArraySlice<UInt8>) -> Int? {
        guard name.count >= 3, name.allSatisfy({ (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || $0 == UInt8(ascii: ".") }) else {
            return nil
        }
        return monthNumber(Substring(String(decoding: name, as: UTF8.self)))
    }

    // MARK: - asctime and other forms seen in feeds

    /// `Sun Jan  4 16:29:06 2004`, optionally with a zone before the year.
    static func parseAsctime(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 || parts.count == 6, dayNames.contains(String(parts[0].prefix(3))),
              let month = monthNumber(parts[1]), let day = Int(parts[2]) else { return nil }
        var scanner = Scanner(String(parts[3]))
        guard let (hour, minute, second) = scanner.time(), scanner.isAtEnd else { return nil }
        let yearText = parts[parts.count - 1]
        guard yearText.count == 4, let year = Int(yearText) else { return nil }
        var offset = 0
        if parts.count == 6 {
            var zoneScanner = Scanner(String(parts[4]))
            guard let zone = zoneScanner.zone(allowUnknownNames: true), zoneScanner.isAtEnd else { return nil }
            offset = zone
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    /// `2006/09/15 08:19:53 EDT` (Perforce and some CMSs), optionally after a day name.
    static func parseSlashed(_ text: String) -> Date? {
        var parts = text.replacing(",", with: " ").split(separator: " ").map(String.init)
        if let first = parts.first, dayNames.contains(String(first.prefix(3))), first.allSatisfy(\.isLetter) {
            parts.removeFirst()
        }
        guard let first = parts.first else { return nil }
        let pieces = first.split(separator: "/")
        guard pieces.count == 3, pieces[0].count == 4, let year = Int(pieces[0]), let month = Int(pieces[1]),
              let day = Int(pieces[2]) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if parts.count > 1 {
            var scanner = Scanner(parts[1])
            guard let time = scanner.time(), scanner.isAtEnd else { return nil }
            (hour, minute, second) = time
        }
        if parts.count > 2 {
            var scanner = Scanner(parts[2])
            guard let zone = scanner.zone(), scanner.isAtEnd else { return nil }
            offset = zone
        }
        guard parts.count <= 3 else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    // MARK: - Calendar arithmetic

    static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offsetSeconds: Int) -> Date? {
        guard year >= 1, year <= 9999, (1...12).contains(month), day >= 1,
              day <= daysInMonth(year: year, month: month), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second) else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day number (days since 1970-01-01).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: - Names

    static let dayNames: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static func monthNumber(_ name: Substring) -> Int? {
        guard name.count >= 3, name.allSatisfy({ $0.isLetter || $0 == "." }) else { return nil }
        switch name.prefix(3) {
        case "jan": return 1
        case "feb": return 2
        case "mar": return 3
        case "apr": return 4
        case "may": return 5
        case "jun": return 6
        case "jul": return 7
        case "aug": return 8
        case "sep": return 9
        case "oct": return 10
        case "nov": return 11
        case "dec": return 12
        default: return nil
        }
    }

    /// Zone abbreviations in common use, as offsets in minutes. Ambiguous abbreviations (IST,
    /// CST as China time) take the reading feeds use most (India, US Central).
    static let zoneMinutes: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 330, "west": 60,
        "cet": 60, "met": 60, "cest": 120, "mest": 120, "eet": 120, "eest": 180, "msk": 180,
        "edt": -240, "est": -300, "et": -300, "cdt": -300, "cst": -360, "ct": -360,
        "mdt": -360, "mst": -420, "mt": -420, "pdt": -420, "pst": -480, "pt": -480,
        "adt": -180, "ast": -240, "at": -240, "akst": -540, "akdt": -480, "hst": -600,
        "nst": -210, "ndt": -150, "brt": -180, "art": -180,
        "jst": 540, "kst": 540, "hkt": 480, "sgt": 480, "awst": 480, "acst": 570,
        "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
    ]

    /// RFC 822 military zones: A–M (no J) are −1…−12 hours, N–Y are +1…+12, Z is UTC.
    static func militaryZoneMinutes(_ letter: Character) -> Int? {
        guard let ascii = letter.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "z"): return 0
        case UInt8(ascii: "a")...UInt8(ascii: "i"): return -Int(ascii - UInt8(ascii: "a") + 1) * 60
        case UInt8(ascii: "k")...UInt8(ascii: "m"): return -Int(ascii - UInt8(ascii: "k") + 10) * 60
        case UInt8(ascii: "n")...UInt8(ascii: "y"): return Int(ascii - UInt8(ascii: "n") + 1) * 60
        default: return nil
        }
    }

    // MARK: - Scanning

    struct Scanner {
        private let scalars: [UInt8]
        private var index = 0

        init(_ text: String) {
            scalars = Array(text.utf8)
        }

        init(bytes: [UInt8]) {
            scalars = bytes
        }

        var isAtEnd: Bool { index >= scalars.count }

        mutating func take(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, index < scalars.count, scalars[index] == ascii else { return false }
            index += 1
            return true
        }

        mutating func skipSpaces() {
            while index < scalars.count, scalars[index] == UInt8(ascii: " ") { index += 1 }
        }

        /// Exactly `count` digits, not followed by another digit.
        mutating func digits(exactly count: Int) -> Int? {
            if index + count < scalars.count, (48...57).contains(scalars[index + count]) { return nil }
            return fixedDigits(count)
        }

        /// Exactly `count` digits, whatever follows (basic ISO 8601 forms run fields together).
        mutating func fixedDigits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = scalars[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        mutating func skipDigits() {
            while index < scalars.count, (48...57).contains(scalars[index]) { index += 1 }
        }

        /// `hh:mm[:ss[.fraction]]`, also with one-digit hours.
        mutating func time() -> (Int, Int, Int)? {
            let start = index
            guard let hour = digits(exactly: 2) ?? digits(exactly: 1), take(":"),
                  let minute = digits(exactly: 2) else {
                index = start
                return nil
            }
            var second = 0
            if take(":") {
                guard let parsed = digits(exactly: 2) else {
                    index = start
                    return nil
                }
                second = parsed
                if take(".") || take(",") {
                    while index < scalars.count, (48...57).contains(scalars[index]) { index += 1 }
                }
            }
            return (hour, minute, second)
        }

        /// A zone: `Z`, `±hh:mm`, `±hhmm`, `±hh`, `GMT±hh[:mm]`, `UTC`, a known name or a military
        /// letter. The offset is returned in seconds east of UTC.
        mutating func zone(allowUnknownNames: Bool = false) -> Int? {
            guard index < scalars.count else { return nil }
            var start = index
            let end = scalars.count
            func has(_ prefix: StaticString, at position: Int) -> Bool {
                let length = prefix.utf8CodeUnitCount
                guard position + length <= end else { return false }
                return prefix.withUTF8Buffer { bytes in (0..<length).allSatisfy { scalars[position + $0] == bytes[$0] } }
            }
            if has("etc/", at: start) { start += 4 }
            if has("gmt", at: start) || has("utc", at: start) {
                if start + 3 == end {
                    index = end
                    return 0
                }
                start += 3
            }
            guard start < end else { return nil }
            let first = scalars[start]
            if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                // ±hh, ±hhmm, ±h:mm, ±hh:mm
                var digits: [Int] = []
                var colon = -1
                for position in (start + 1)..<end {
                    let byte = scalars[position]
                    if byte == UInt8(ascii: ":") {
                        guard colon < 0 else { return nil }
                        colon = digits.count
                    } else if byte >= 48 && byte <= 57 {
                        digits.append(Int(byte - 48))
                    } else {
                        return nil
                    }
                }
                guard !digits.isEmpty, digits.count <= 4 else { return nil }
                var hours = 0, minutes = 0
                if colon >= 0 {
                    guard colon > 0, digits.count - colon == 2 else { return nil }
                    for digit in digits[..<colon] { hours = hours * 10 + digit }
                    minutes = digits[colon] * 10 + digits[colon + 1]
                } else if digits.count <= 2 {
                    for digit in digits { hours = hours * 10 + digit }
                } else {
                    var value = 0
                    for digit in digits { value = value * 10 + digit }
                    hours = value / 100
                    minutes = value % 100
                }
                guard hours <= 14, minutes < 60 else { return nil }
                index = end
                let total = (hours * 60 + minutes) * 60
                return first == UInt8(ascii: "-") ? -total : total
            }
            guard scalars[start..<end].allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
            let key = String(decoding: scalars[start..<end], as: UTF8.self)
            if let minutes = Self.lookup(key) {
                index = end
                return minutes * 60
            }
            if key.utf8.count == 1, let character = key.first, let minutes = FeedDate.militaryZoneMinutes(character) {
                index = end
                return minutes * 60
            }
            if allowUnknownNames, (2...5).contains(key.utf8.count) {
                // An abbreviation we do not know: read the time as UTC, like other feed readers.
                index = end
                return 0
            }
            return nil
        }

        private static func lookup(_ name: String) -> Int? { FeedDate.zoneMinutes[name] }
    }
}
