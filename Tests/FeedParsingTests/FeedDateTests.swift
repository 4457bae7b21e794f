import Foundation
import Testing

@testable import FeedParsing

@Suite struct FeedDateTests {
    static let rfc822: [(String, String)] = [
        ("Wed, 01 May 2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 UT", "2024-05-01T10:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 UTC", "2024-05-01T10:00:00Z"),
        ("Sat, 01 May 04 10:00:00 GMT", "2004-05-01T10:00:00Z"),
        ("Sat, 01 May 99 10:00:00 GMT", "1999-05-01T10:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 EST", "2024-05-01T15:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 EDT", "2024-05-01T14:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 PDT", "2024-05-01T17:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 PST", "2024-05-01T18:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 CEST", "2024-05-01T08:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 Z", "2024-05-01T10:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 A", "2024-05-01T11:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 N", "2024-05-01T09:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 +0200", "2024-05-01T08:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 -0530", "2024-05-01T15:30:00Z"),
        ("Wed, 01 May 2024 10:00:00 +02:00", "2024-05-01T08:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 -05:30", "2024-05-01T15:30:00Z"),
        ("Wed, 01 May 2024 10:00:00 GMT+2", "2024-05-01T08:00:00Z"),
        ("Wed, 01 May 2024 10:00:00 GMT-03:00", "2024-05-01T13:00:00Z"),
        ("Wed, 01 May 2024 10:00:00+0200", "2024-05-01T08:00:00Z"),
        ("Wed, 01 May 2024 10:00 GMT", "2024-05-01T10:00:00Z"),
        ("01 May 2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("Wednesday, 01 May 2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("Mon, 01 January 2024 10:00:00 GMT", "2024-01-01T10:00:00Z"),
        ("Wed, May 01 2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("Wed, 1 May 2024 9:05:07 GMT", "2024-05-01T09:05:07Z"),
        ("Wed,01 May 2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("01-May-2024 10:00:00 GMT", "2024-05-01T10:00:00Z"),
        ("Wed, 01 May 2024", "2024-05-01T00:00:00Z"),
        ("01 May 2024", "2024-05-01T00:00:00Z"),
        ("  Wed, 01 May 2024 10:00:00 GMT \n", "2024-05-01T10:00:00Z"),
    ]

    static let w3cdtf: [(String, String)] = [
        ("2024", "2024-01-01T00:00:00Z"),
        ("2024-05", "2024-05-01T00:00:00Z"),
        ("2024-05-01", "2024-05-01T00:00:00Z"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00.123456Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00,5Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z"),
        ("2024-05-01T10:00:00-03:30", "2024-05-01T13:30:00Z"),
        ("2024-05-01T10:00:00+0200", "2024-05-01T08:00:00Z"),
        ("2024-05-01T10:00:00+02", "2024-05-01T08:00:00Z"),
        ("2024-05-01T01:00:00+02:00", "2024-04-30T23:00:00Z"),
        ("2024-05-01t10:00:00z", "2024-05-01T10:00:00Z"),
        ("2024-05-01 10:00:00", "2024-05-01T10:00:00Z"),
        ("2024-05-01 10:00:00+02:00", "2024-05-01T08:00:00Z"),
        ("2024-05-01T10:00:00", "2024-05-01T10:00:00Z"),
        ("20240501T100000Z", "2024-05-01T10:00:00Z"),
        ("20240501T100000+0200", "2024-05-01T08:00:00Z"),
        ("20240501", "2024-05-01T00:00:00Z"),
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
        ("2000-02-29", "2000-02-29T00:00:00Z"),
    ]

    static let other: [(String, String)] = [
        ("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"),
        ("Wed May 1 10:00:00 2024", "2024-05-01T10:00:00Z"),
        ("Sun Jan 4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"),
        ("2020/1/10 14:33:00", "2020-01-10T14:33:00Z"),
        ("2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"),
        ("2020/01/10", "2020-01-10T00:00:00Z"),
    ]

    static let invalid: [String] = [
        "",
        "   ",
        "garbage",
        "not a date 2024",
        "Sat, 31 Feb 2024 10:00:00 GMT",
        "2024-02-31",
        "2023-02-29",
        "1900-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:60:00Z",
        "Wed, 01 May 2024 25:00:00 GMT",
        "Wed, 01 May 2024 10:00:00",
        "Wed, 01 Foo 2024 10:00:00 GMT",
        "2024-05-01T10:00:00 nonsense zone",
        "10:00:00",
        "Wed, 01 May 2024 10 GMT",
        String(repeating: "2024-05-01 ", count: 20),
    ]

    @Test(arguments: rfc822)
    func rfc822Variants(_ text: String, _ expected: String) {
        #expect(FeedDate.parse(text).map(FeedDate.iso8601) == expected)
    }

    @Test(arguments: w3cdtf)
    func w3cdtfAndISO8601Forms(_ text: String, _ expected: String) {
        #expect(FeedDate.parse(text).map(FeedDate.iso8601) == expected)
    }

    @Test(arguments: other)
    func asctimeAndSlashedForms(_ text: String, _ expected: String) {
        #expect(FeedDate.parse(text).map(FeedDate.iso8601) == expected)
    }

    @Test(arguments: invalid)
    func unreadableDatesAreNilNeverAGuess(_ text: String) {
        #expect(FeedDate.parse(text) == nil)
    }

    @Test func iso8601FormatsUTCWithSeconds() {
        #expect(FeedDate.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(FeedDate.iso8601(Date(timeIntervalSince1970: 0.999)) == "1970-01-01T00:00:00Z")
        #expect(FeedDate.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(FeedDate.iso8601(Date(timeIntervalSince1970: 1_714_557_600)) == "2024-05-01T10:00:00Z")
        #expect(FeedDate.iso8601(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
    }
}
