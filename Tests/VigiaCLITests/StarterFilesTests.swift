import Foundation
import Pipeline
import Testing
@testable import VigiaCLI

/// `vigia init`'s vigia.yaml: what it offers in comments must work once uncommented.
@Suite struct StarterFilesTests {
    @Test func everyCommentedOptionParsesOnceUncommented() throws {
        let starter = StarterFiles.configuration(brands: ["Acme", "Café Sol"])
        var uncommented: [String] = []
        var optional = false
        for line in starter.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("# alerts:") { optional = true }
            if optional, line.hasPrefix("# ") {
                uncommented.append(String(line.dropFirst(2)))
            } else if let range = line.range(of: "    # "), line.hasPrefix("    # "), line.contains(":") {
                uncommented.append("    " + line[range.upperBound...])
            } else {
                uncommented.append(line)
            }
        }
        let text = uncommented.joined(separator: "\n")
        let configuration = try Configuration.parse(text, file: URL(fileURLWithPath: "/srv/vigia/vigia.yaml"))
        #expect(configuration.brands.map(\.name) == ["Acme", "Café Sol"])
        #expect(configuration.brands.allSatisfy { $0.timeZone == "Europe/Madrid" && $0.languages == ["es", "it", "en"] })
        let digest = try #require(configuration.digest, "\(text)")
        #expect(digest.schedule == "daily 08:00 Europe/Madrid")
        #expect(digest.email?.to == ["marketing@example.com"])
        #expect(digest.webhooks.count == 1)
        #expect(configuration.alerts.sinks.count == 1)
    }
}
