import Foundation

/// Times as people read them in alerts and digests: `2024-05-01 10:00`, always UTC.
public enum UTCTime {
    public static func minutes(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
