import Foundation
import Testing
@testable import Digest

@Suite struct DigestScheduleTests {
    private func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    @Test func readsDailyAndWeeklySchedules() throws {
        let daily = try DigestSchedule(parsing: "daily 08:00 Europe/Madrid")
        #expect(daily.repeats == .daily && daily.hour == 8 && daily.minute == 0 && daily.timeZone.identifier == "Europe/Madrid")
        let weekly = try DigestSchedule(parsing: "weekly Monday 09:30 Europe/Rome")
        #expect(weekly.repeats == .weekly(weekday: 2))
        #expect(try DigestSchedule(parsing: "daily 07:15").timeZone.secondsFromGMT() == 0, "UTC without a zone")
        #expect(try DigestSchedule(parsing: "weekly lunes 08:00").repeats == .weekly(weekday: 2))
        #expect(weekly.description == "weekly monday 09:30 Europe/Rome")
        let saturday = try DigestSchedule(parsing: "weekly sábado 07:05 Europe/Rome").description
        #expect(saturday == "weekly saturday 07:05 Europe/Rome")
        #expect(daily.description == "daily 08:00 Europe/Madrid")
    }

    @Test(arguments: ["", "hourly 08:00", "daily", "daily 8", "daily 24:00", "daily 08:60", "daily 8:5", "daily 08:00 Mars/Olympus",
                      "weekly 08:00", "weekly someday 08:00", "daily 08:00 UTC extra"])
    func refusesBadSchedulesWithAnExample(_ text: String) {
        #expect {
            try DigestSchedule(parsing: text)
        } throws: { error in
            "\(error)".contains("e.g.") || "\(error)".contains("HH:MM") || "\(error)".contains("IANA")
        }
    }

    @Test func slotsFollowTheLocalClockAcrossDaylightSaving() throws {
        let schedule = try DigestSchedule(parsing: "daily 08:00 Europe/Madrid")
        // Winter: 08:00 in Madrid is 07:00 UTC.
        #expect(schedule.latestSlot(atOrBefore: try date("2026-11-22T10:00:00Z")) == (try date("2026-11-22T07:00:00Z")))
        #expect(schedule.latestSlot(atOrBefore: try date("2026-11-22T07:00:00Z")) == (try date("2026-11-22T07:00:00Z")), "a slot counts at its instant")
        #expect(schedule.latestSlot(atOrBefore: try date("2026-11-22T06:59:59Z")) == (try date("2026-11-21T07:00:00Z")))
        #expect(schedule.nextSlot(after: try date("2026-11-22T07:00:00Z")) == (try date("2026-11-23T07:00:00Z")))
        // The clocks go back on 2026-10-25: that day lasts 25 hours.
        let after = try date("2026-10-25T07:00:00Z")
        let before = schedule.previousSlot(before: after)
        #expect(before == (try date("2026-10-24T06:00:00Z")))
        #expect(after.timeIntervalSince(before) == 25 * 3600)
        // And forward on 2026-03-29: 23 hours.
        let spring = try date("2026-03-29T06:00:00Z")
        #expect(spring.timeIntervalSince(schedule.previousSlot(before: spring)) == 23 * 3600)
    }

    @Test func weeklySlotsAreAWeekApart() throws {
        let schedule = try DigestSchedule(parsing: "weekly monday 09:00 UTC")
        let slot = schedule.latestSlot(atOrBefore: try date("2026-11-22T12:00:00Z"))  // a Sunday
        #expect(slot == (try date("2026-11-16T09:00:00Z")))
        #expect(schedule.nextSlot(after: slot) == (try date("2026-11-23T09:00:00Z")))
        #expect(slot.timeIntervalSince(schedule.previousSlot(before: slot)) == 7 * 86_400)
    }

    @Test func dayBoundariesAreLocalMidnights() throws {
        let zone = try #require(TimeZone(identifier: "America/Mexico_City"))
        let end = try date("2026-11-22T14:00:00Z")  // 08:00 in Mexico City
        let days = DigestBuilder.dayBoundaries(endingWith: end, count: 30, timeZone: zone)
        #expect(days.count == 31)
        #expect(days[29] == (try date("2026-11-22T06:00:00Z")), "the last day starts at local midnight")
        #expect(days[30] == end)
        #expect(days[0] == (try date("2026-10-24T06:00:00Z")))
    }
}

@Suite struct SnippetTests {
    @Test func snippetIsOneLineAroundTheBrand() {
        let text = String(repeating: "lorem ipsum ", count: 20) + "the Acme\napp crashed again " + String(repeating: "dolor sit ", count: 30)
        let start = text.utf8.count - text.drop(while: { $0 != "A" }).utf8.count
        let snippet = Snippet.around([.init(term: "Acme", field: .text, range: start..<start + 4)], title: "t", text: text)
        #expect(snippet.contains("the \u{2}Acme\u{3} app crashed again"))
        #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
        #expect(!snippet.contains("\n"))
        #expect(snippet.count < 200)
    }

    @Test func brokenRangesFallBackToTheStart() {
        let snippet = Snippet.around([.init(term: "Acme", field: .text, range: 500..<504)], title: "Title", text: "short text")
        #expect(snippet == "short text")
        #expect(Snippet.oneLine(" a\u{0}b \t\r\n c ") == "ab c")
    }
}
