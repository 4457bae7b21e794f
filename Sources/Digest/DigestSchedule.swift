import Foundation

/// When the daemon sends the digest: `daily 08:00 Europe/Madrid` or `weekly monday 09:30 Europe/Rome`
/// (the time zone defaults to UTC). Each send covers the period since the previous slot, measured
/// on the wall clock of the time zone, so a day across a daylight-saving change lasts 23 or 25 hours.
public struct DigestSchedule: Sendable, Hashable, CustomStringConvertible {
    public enum Repeat: Sendable, Hashable {
        case daily
        /// 1 = Sunday … 7 = Saturday, as `Calendar` counts.
        case weekly(weekday: Int)
    }

    public var repeats: Repeat
    public var hour: Int
    public var minute: Int
    public var timeZone: TimeZone

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The days of the week from Sunday, as `Calendar` counts them (1…7), in each language.
    static let dayNames = [
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
        ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
    ]
    static let weekdays = Dictionary(
        dayNames.flatMap { $0.enumerated().map { ($1, $0 + 1) } }, uniquingKeysWith: { first, _ in first })

    public init(repeats: Repeat, hour: Int, minute: Int, timeZone: TimeZone) {
        self.repeats = repeats
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
    }

    /// Reads `daily HH:MM [ZONE]` or `weekly WEEKDAY HH:MM [ZONE]`.
    public init(parsing text: String) throws {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let example = "e.g. `daily 08:00 Europe/Madrid` or `weekly monday 09:00 Europe/Rome`"
        guard let first = words.first?.lowercased() else { throw ParseError(description: "is empty; \(example)") }
        var rest = words.dropFirst()
        switch first {
        case "daily":
            repeats = .daily
        case "weekly":
            guard let day = rest.popFirst(), let weekday = Self.weekdays[day.lowercased()] else {
                throw ParseError(description: "`weekly` needs a day of the week; \(example)")
            }
            repeats = .weekly(weekday: weekday)
        default:
            throw ParseError(description: "'\(first)' is not a schedule; \(example)")
        }
        guard let time = rest.popFirst() else { throw ParseError(description: "needs a time of day; \(example)") }
        let parts = time.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour),
              (0..<60).contains(minute), parts[1].count == 2
        else {
            throw ParseError(description: "'\(time)' is not a time of day; write it as HH:MM on a 24-hour clock, e.g. 08:00")
        }
        self.hour = hour
        self.minute = minute
        if let zone = rest.popFirst() {
            guard let timeZone = TimeZone(identifier: zone) else {
                throw ParseError(description: "'\(zone)' is not a time zone; use an IANA name such as Europe/Madrid")
            }
            self.timeZone = timeZone
        } else {
            timeZone = TimeZone(identifier: "UTC") ?? .gmt
        }
        guard rest.isEmpty else { throw ParseError(description: "unexpected '\(rest.joined(separator: " "))'; \(example)") }
    }

    /// The same schedule in another time zone (a brand's own).
    public func `in`(_ timeZone: TimeZone) -> DigestSchedule {
        DigestSchedule(repeats: repeats, hour: hour, minute: minute, timeZone: timeZone)
    }

    public var description: String {
        let time = String(format: "%02d:%02d", hour, minute)
        switch repeats {
        case .daily: return "daily \(time) \(timeZone.identifier)"
        case .weekly(let weekday):
            return "weekly \(Self.dayNames[0][weekday - 1]) \(time) \(timeZone.identifier)"
        }
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private var components: DateComponents {
        switch repeats {
        case .daily: DateComponents(hour: hour, minute: minute, second: 0)
        case .weekly(let weekday): DateComponents(hour: hour, minute: minute, second: 0, weekday: weekday)
        }
    }

    /// The latest slot at or before `date`.
    public func latestSlot(atOrBefore date: Date) -> Date {
        // A slot exactly at `date` counts: search backwards from just after it.
        let probe = date.addingTimeInterval(1)
        return calendar.nextDate(
            after: probe, matching: components, matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .backward)
            ?? probe.addingTimeInterval(-step)
    }

    /// The first slot after `date`.
    public func nextSlot(after date: Date) -> Date {
        calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
            ?? date.addingTimeInterval(step)
    }

    /// The slot before `slot`: the start of the period that `slot` ends.
    public func previousSlot(before slot: Date) -> Date {
        latestSlot(atOrBefore: slot.addingTimeInterval(-1))
    }

    private var step: TimeInterval {
        switch repeats {
        case .daily: 86_400
        case .weekly: 7 * 86_400
        }
    }
}
