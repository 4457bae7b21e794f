import Foundation

/// Dates in the RFC 5322 form `Sun, 22 Nov 2026 08:00:00 +0000`, always in UTC.
enum MailDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    static func rfc5322(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        // Years 1 to 9999 keep four digits; anything else (or not finite) is clamped.
        let clamped = max(-62_135_596_800, min(253_402_300_799, interval.rounded(.down)))
        let seconds = interval.isFinite ? Int64(clamped) : 0
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        let weekday = Int(floorDivision(days + 4, 7).remainder)  // 1970-01-01 was a Thursday
        return "\(weekdays[weekday]), \(twoDigits(day)) \(months[month - 1]) \(fourDigits(year)) "
            + "\(twoDigits(Int(secondOfDay / 3600))):\(twoDigits(Int(secondOfDay / 60 % 60))):"
            + "\(twoDigits(Int(secondOfDay % 60))) +0000"
    }

    /// The proleptic Gregorian (year, month 1–12, day 1–31) of a day count from 1970-01-01,
    /// counting in 400-year cycles of 146,097 days that start on 1 March.
    static func civilDate(daysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let (cycle, dayOfCycle) = floorDivision(days + 719_468, 146_097)  // from 0000-03-01
        let yearOfCycle = (dayOfCycle - dayOfCycle / 1460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365
        let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // 0 = March … 11 = February
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64)
    {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func fourDigits(_ value: Int) -> String {
        String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value)
    }
}
