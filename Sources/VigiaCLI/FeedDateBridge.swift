import FeedParsing
import Foundation

/// Date parsing and formatting shared with the parser.
enum FeedDateBridge {
    static func parse(_ text: String) -> Date? { FeedDate.parse(text) }
    static func iso(_ date: Date) -> String { FeedDate.iso8601(date) }
}
