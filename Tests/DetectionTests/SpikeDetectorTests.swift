import Foundation
import Testing
import TestSupport
@testable import Detection

/// A 5-minute series: `value(i)` at point i, starting 2024-01-01.
private func run(_ count: Int, _ value: (Int) -> Double, settings: SpikeDetector.Settings = .init()) -> [(index: Int, alert: SpikeDetector.Alert)] {
    var detector = SpikeDetector(settings: settings)
    var alerts: [(Int, SpikeDetector.Alert)] = []
    for i in 0..<count {
        if let alert = detector.observe(time: 1_704_067_200 + Double(i) * 300, value: value(i)) { alerts.append((i, alert)) }
    }
    return alerts
}

/// Mentions per 5 minutes with a daily rhythm (quiet nights, busy afternoons) and Poisson-like noise.
private func dailyCounts(_ i: Int, _ random: inout SplitMix) -> Double {
    let hour = Double(i % 288) / 12
    let mean = 6 + 14 * max(0, sin((hour - 6) / 24 * 2 * .pi))
    // A cheap Poisson draw: the sum of mean/4 draws of Bernoulli(1/2)·... kept simple and stable.
    var count = 0.0
    for _ in 0..<Int(mean * 2) where random.next() % 2 == 0 { count += 1 }
    return count
}

@Suite struct SpikeDetectorTests {
    @Test func quietSeriesNeverAlert() {
        #expect(run(4000) { _ in 7 }.isEmpty, "a flat line")
        #expect(run(4000) { $0 % 97 == 0 ? 1 : 0 }.isEmpty, "long stretches of zeros with single mentions")
        var random = SplitMix(seed: 1)
        let noise = (0..<4000).map { _ in 50 + Double(random.next() % 9) }
        #expect(run(4000) { noise[$0] }.isEmpty, "steady noise")
    }

    @Test func dailyRhythmIsNotASpikeButABurstIs() {
        var random = SplitMix(seed: 2)
        var series = (0..<(288 * 8)).map { dailyCounts($0, &random) }
        let quiet = run(series.count) { series[$0] }
        #expect(quiet.count <= 1, "busy afternoons are normal: \(quiet.map(\.index))")
        let burst = 288 * 6 + 40  // a night, when the rhythm is low
        for offset in 0..<6 { series[burst + offset] += 60 }
        let alerts = run(series.count) { series[$0] }.filter { $0.index >= 288 * 6 }
        let first = try? #require(alerts.first)
        #expect(first?.index == burst)
        #expect(first.map { $0.alert.score >= 3 } == true)
        #expect(first.map { $0.alert.observed > $0.alert.expected } == true)
        #expect(alerts.count == 1, "one alert per episode: \(alerts.map(\.index))")
    }

    @Test func aLastingChangeBecomesTheNewNormal() {
        let alerts = run(288 * 6) { $0 < 288 * 2 ? 20 + Double($0 % 5) : 80 + Double($0 % 5) }
        #expect(alerts.count == 1, "\(alerts.map(\.index))")
        #expect(alerts.first?.index == 288 * 2)
    }

    @Test func escalationAlertsAgainWithinTheEpisode() {
        let alerts = run(600) { i in
            switch i {
            case 400..<420: 40
            case 420..<440: 400
            default: 10 + Double(i % 3)
            }
        }
        #expect(alerts.map(\.index) == [400, 420])
        #expect(alerts.last?.alert.escalation == true)
    }

    @Test func decisionsUseOnlyThePast() {
        var random = SplitMix(seed: 3)
        let series = (0..<3000).map { i in Double(random.next() % 20) + (i % 700 == 650 ? 200 : 0) }
        let full = run(series.count) { series[$0] }.map(\.index)
        let prefix = run(1800) { series[$0] }.map(\.index)
        #expect(full.filter { $0 < 1800 } == prefix)
        #expect(!full.isEmpty)
    }

    @Test func minimumValueHoldsSmallSpikesBack() {
        var settings = SpikeDetector.Settings()
        settings.minimumValue = 10
        let small = run(600, { $0 == 400 ? 6 : 0 }, settings: settings)
        #expect(small.isEmpty)
        let large = run(600, { $0 == 400 ? 25 : 0 }, settings: settings)
        #expect(large.map(\.index) == [400])
    }
}
