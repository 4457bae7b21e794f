import Foundation
import Pipeline
import Testing

@testable import Polling

/// 2024-05-01T00:00:00Z
private let may1 = Date(timeIntervalSince1970: 1_714_521_600)

@Suite struct PollScheduleTests {
    let schedule = PollSchedule(defaultInterval: 1800, minInterval: 300, maxInterval: 86_400)

    // MARK: Intervals

    @Test func defaultsAndSettings() {
        let defaults = PollSchedule()
        #expect(defaults.defaultInterval == 1800)
        #expect(defaults.minInterval == 300)
        #expect(defaults.maxInterval == 86_400)

        var settings = FetchSettings()
        settings.interval = .seconds(900)
        settings.minInterval = .seconds(60)
        settings.maxInterval = .seconds(7200)
        let configured = PollSchedule(settings: settings)
        #expect(configured.defaultInterval == 900)
        #expect(configured.minInterval == 60)
        #expect(configured.maxInterval == 7200)

        settings.interval = .milliseconds(1500)
        #expect(PollSchedule(settings: settings).defaultInterval == 1.5)
    }

    @Test func minimumIsNeverAboveTheMaximum() {
        let odd = PollSchedule(defaultInterval: 100, minInterval: 5000, maxInterval: 1000)
        #expect(odd.minInterval == 1000)
        #expect(odd.interval(configured: nil, feedHint: nil, maxAge: nil) == 1000)
    }

    @Test func intervalIsTheConfiguredOneOrTheDefault() {
        #expect(schedule.interval(configured: nil, feedHint: nil, maxAge: nil) == 1800)
        #expect(schedule.interval(configured: 600, feedHint: nil, maxAge: nil) == 600)
    }

    @Test func intervalStaysWithinTheBounds() {
        #expect(schedule.interval(configured: 10, feedHint: nil, maxAge: nil) == 300)
        #expect(schedule.interval(configured: 0, feedHint: nil, maxAge: nil) == 300)
        #expect(schedule.interval(configured: 10_000_000, feedHint: nil, maxAge: nil) == 86_400)
        #expect(schedule.interval(configured: nil, feedHint: 10_000_000, maxAge: nil) == 86_400)
        #expect(schedule.interval(configured: nil, feedHint: nil, maxAge: 10_000_000) == 86_400)
    }

    @Test func feedHintAndMaxAgeOnlyLengthenTheInterval() {
        #expect(schedule.interval(configured: nil, feedHint: 3600, maxAge: nil) == 3600)
        #expect(schedule.interval(configured: nil, feedHint: 60, maxAge: nil) == 1800)
        #expect(schedule.interval(configured: nil, feedHint: nil, maxAge: 7200) == 7200)
        #expect(schedule.interval(configured: nil, feedHint: nil, maxAge: 0) == 1800)
        #expect(schedule.interval(configured: 600, feedHint: 900, maxAge: nil) == 900)
        #expect(schedule.interval(configured: nil, feedHint: 3600, maxAge: 5400) == 5400)
        #expect(schedule.interval(configured: nil, feedHint: 5400, maxAge: 3600) == 5400)
        // A configured interval below the minimum still gets the minimum when the hint is shorter.
        #expect(schedule.interval(configured: 30, feedHint: 120, maxAge: nil) == 300)
    }

    @Test func nextPollAfterSuccessIsTheIntervalGiveOrTakeTenPercent() {
        #expect(schedule.nextAfterSuccess(interval: 1000, now: may1, random: 0) == may1.addingTimeInterval(900))
        #expect(schedule.nextAfterSuccess(interval: 1000, now: may1, random: 0.5) == may1.addingTimeInterval(1000))
        #expect(schedule.nextAfterSuccess(interval: 1000, now: may1, random: 0.999_999).timeIntervalSince(may1) < 1100)
        for _ in 0..<200 {
            let wait = schedule.nextAfterSuccess(interval: 1000, now: may1).timeIntervalSince(may1)
            #expect(wait >= 900 && wait < 1100)
        }
    }

    // MARK: Backoff

    @Test func backoffDoublesPerFailure() {
        // random 1 is the ceiling itself (the default draws from 0..<1, so just under it).
        let ceilings = (1...6).map { schedule.backoff(failures: $0, interval: 1800, random: 1) }
        #expect(ceilings == [1800, 3600, 7200, 14_400, 28_800, 57_600])
        let floors = (1...6).map { schedule.backoff(failures: $0, interval: 1800, random: 0) }
        #expect(floors == ceilings.map { $0 / 2 })
    }

    @Test func backoffIsCappedAtTheMaximumInterval() {
        #expect(schedule.backoff(failures: 7, interval: 1800, random: 1) == 86_400)
        #expect(schedule.backoff(failures: 50, interval: 1800, random: 1) == 86_400)
        #expect(schedule.backoff(failures: 50, interval: 1800, random: 0) == 43_200)
        // Absurd counts do not overflow.
        #expect(schedule.backoff(failures: Int.max, interval: 1800, random: 1) == 86_400)
        // An interval above the maximum is cut to it.
        #expect(schedule.backoff(failures: 1, interval: 1_000_000, random: 1) == 86_400)
    }

    @Test func backoffStartsFromAtLeastAMinute() {
        let quick = PollSchedule(defaultInterval: 5, minInterval: 1, maxInterval: 3600)
        #expect(quick.backoff(failures: 1, interval: 5, random: 1) == 60)
        #expect(quick.backoff(failures: 2, interval: 5, random: 1) == 120)
        #expect(quick.backoff(failures: 0, interval: 5, random: 1) == 60)
        #expect(quick.backoff(failures: -4, interval: 5, random: 1) == 60)
    }

    @Test func backoffJitterIsBetweenHalfAndAllOfTheCeiling() {
        for failures in 1...10 {
            let ceiling = min(1800 * pow(2, Double(failures - 1)), 86_400)
            for _ in 0..<50 {
                let wait = schedule.backoff(failures: failures, interval: 1800)
                #expect(wait >= ceiling / 2 && wait <= ceiling, "failures \(failures): \(wait) outside [\(ceiling / 2), \(ceiling)]")
            }
        }
    }

    // MARK: Retry-After

    @Test func retryAfterSeconds() {
        #expect(schedule.retryAfter("120", now: may1) == 120)
        #expect(schedule.retryAfter("  120 ", now: may1) == 120)
        #expect(schedule.retryAfter("0", now: may1) == 0)
        #expect(schedule.retryAfter("1.5", now: may1) == 1.5)
    }

    @Test func retryAfterIsCapped() {
        #expect(schedule.retryAfter("99999999", now: may1) == schedule.maxRetryAfter)
        #expect(schedule.maxRetryAfter == 7 * 24 * 3600)
        var lenient = schedule
        lenient.maxRetryAfter = 60
        #expect(lenient.retryAfter("120", now: may1) == 60)
    }

    @Test(arguments: [
        "Wed, 01 May 2024 00:05:00 GMT",  // IMF-fixdate
        "Wednesday, 01-May-24 00:05:00 GMT",  // RFC 850
        "Wed May  1 00:05:00 2024",  // asctime, day padded with a space
    ])
    func retryAfterHTTPDate(_ value: String) {
        #expect(schedule.retryAfter(value, now: may1) == 300)
    }

    @Test func retryAfterDateInThePastIsZeroAndFarFutureIsCapped() {
        #expect(schedule.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: may1) == 0)
        #expect(schedule.retryAfter("Fri, 01 Jan 2100 00:00:00 GMT", now: may1) == schedule.maxRetryAfter)
    }

    @Test(arguments: [nil, "", "   ", "soon", "-5", "inf", "nan", "12abc", "Wed, 32 May 2024 00:00:00 GMT"] as [String?])
    func retryAfterGarbageIsIgnored(_ value: String?) {
        #expect(schedule.retryAfter(value, now: may1) == nil)
    }
}
