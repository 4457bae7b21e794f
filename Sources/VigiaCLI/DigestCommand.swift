import ArgumentParser
import Digest
import Foundation
import Pipeline

/// `vigia digest`: the digest of a period, per brand.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "The digest of a period: volume and sentiment with their change, share of voice, complaints, top mentions.",
        discussion: "--format json is stable: snake_case keys, ISO 8601 dates.")

    @Option(help: "The period: 24h, 7d or a date.")
    var since = "24h"

    @Option(help: "Only this brand (repeatable).")
    var brand: [String] = []

    @Option(help: "md, text, html or json.")
    var format: Format = .md

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var config: ConfigurationOptions

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, text, json, html
    }

    func run() async throws {
        let configuration = try config.load()
        let store = try config.openStore(configuration)
        let now = Date()
        let start = try DateArgument.parse(since, option: "--since", now: now)
        var brands = configuration.brands.map { (name: $0.name, competitor: $0.competitor) }
        if !brand.isEmpty {
            let wanted = Set(brand.map { $0.lowercased() })
            brands = brands.filter { wanted.contains($0.name.lowercased()) }
            guard !brands.isEmpty else {
                throw ValidationError("--brand: no configured brand is called \(brand.joined(separator: ", ")); `vigia.yaml` lists \(configuration.brands.map(\.name).joined(separator: ", "))")
            }
        }
        let report = try await DigestBuilder(store: store).build(brands: brands, since: start, until: now)
        let text = switch format {
        case .json: try DigestRendering.json(report) + "\n"
        case .md: DigestRendering.text(report, markdown: true)
        case .text: DigestRendering.text(report, markdown: false)
        case .html: DigestRendering.html(report)
        }
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                Terminal.error("vigia: error: \(out): cannot write (\(error.localizedDescription))")
                throw ExitCode(1)
            }
        } else {
            Terminal.write(text)
            Terminal.flush()
        }
    }
}
