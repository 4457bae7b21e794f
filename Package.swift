// swift-tools-version:6.1
import PackageDescription

// One target per pipeline stage; dependencies only point down the pipeline.
// Only `FeedParsing`, `Fetching` and `Mailing` import the C wrappers.
let package = Package(
    name: "Vigia",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigia", targets: ["vigia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // SQLite with FTS5, WAL and migrations; uses the system libsqlite3 (see README).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // vigia.yaml, with line and column for errors.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The daemon: services with graceful shutdown on SIGTERM/SIGINT, structured logs, metrics.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // A small HTTP server on plain sockets (no SwiftNIO) for /metrics and /healthz.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries, wrapped once.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),

        // Value types shared by every stage. FoundationEssentials only: full Foundation brings its
        // own ICU module, whose headers clash with the system ICU that libxml2's headers include
        // (FeedParsing imports both), and only a clean build shows it.
        .target(name: "VigiaModel"),

        // Bytes -> entries (libxml2 streaming parser, JSON/CSV exports, HTML to text, dates).
        .target(
            name: "FeedParsing", dependencies: ["CLibXML2", "VigiaModel"],
            // The SAX callbacks touch parser state millions of times per second; the handlers are
            // single-threaded and never re-entered, so the dynamic exclusivity checks only cost.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),

        // Transfers through libcurl.
        .target(name: "Fetching", dependencies: ["CCurl", "VigiaModel"]),

        // Email through libcurl's SMTP: message rendering (MIME, RFC 2047) and sending.
        .target(name: "Mailing", dependencies: ["CCurl"]),

        // Normalisation, tokens and language identification (pure Swift).
        // Tokenizing and language identification run per text in tight loops over buffers owned
        // by one caller at a time; the dynamic exclusivity checks only cost.
        .target(
            name: "TextAnalysis", resources: [.copy("Profiles")],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),

        // Brand query language: parse, compile into one multi-pattern matcher, match (pure Swift).
        .target(name: "Matching", dependencies: ["TextAnalysis", "VigiaModel"]),

        // The mention store: protocol, SQLite implementation (GRDB), migrations, full-text search.
        .target(
            name: "Storage",
            dependencies: ["VigiaModel", "Matching", .product(name: "GRDB", package: "GRDB.swift")]),

        // The pipeline (parse → language → match → score → store), configuration, import.
        .target(
            name: "Pipeline",
            dependencies: [
                "VigiaModel", "FeedParsing", "TextAnalysis", "Sentiment", "Matching", "Storage",
                .product(name: "Yams", package: "Yams"),
            ]),

        // The daemon's stages: the source list, scheduling and backoff, polling cycles (fetch →
        // pipeline → store), the long-running services and their metrics.
        .target(
            name: "Polling",
            dependencies: [
                "VigiaModel", "FeedParsing", "Fetching", "Pipeline", "Storage",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]),

        // The digest: figures per brand, complaint terms, renderings.
        .target(
            name: "Digest",
            dependencies: [
                "VigiaModel", "Storage", "Matching", "Alerting", "Mailing", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Spike detection on volume series (pure Swift).
        .target(name: "Detection"),

        // Alert messages, their chat-room formats, HMAC signing, the file sink.
        .target(
            name: "Alerting",
            dependencies: [
                "Fetching", "Storage", "Detection", "VigiaModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Lexicon + rules sentiment analyser (pure Swift).
        .target(name: "Sentiment", dependencies: ["TextAnalysis"]),

        // The command-line commands, as a library so tests can drive them.
        .target(
            name: "VigiaCLI",
            dependencies: [
                "VigiaModel", "FeedParsing", "Fetching", "TextAnalysis", "Sentiment", "Matching", "Storage",
                "Pipeline", "Polling", "Detection", "Alerting", "Digest", "Mailing", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(name: "vigia", dependencies: ["VigiaCLI"]),

        // Benchmark drivers run by the scripts in bench/ (not shipped).
        .executableTarget(
            name: "vigia-bench",
            dependencies: ["FeedParsing", "VigiaModel", "Matching", "Storage", "Pipeline", "TextAnalysis"],
            path: "bench/Sources/vigia-bench"),

        .testTarget(name: "FeedParsingTests", dependencies: ["FeedParsing", "VigiaModel"], resources: [.copy("Fixtures")]),
        // A local HTTP server and an SMTP sink (Python's standard library) with every behaviour
        // the fetcher and the mailer must survive, started by the tests on 127.0.0.1.
        .target(name: "TestSupport", path: "Tests/Support", exclude: ["feed_server.py", "smtp_sink.py", "serve_locally.py"]),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "TestSupport"]),
        .testTarget(name: "MailingTests", dependencies: ["Mailing", "TestSupport"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "TestSupport"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "Storage", "Alerting", "Mailing", "TestSupport"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "Fetching", "Storage", "TestSupport"]),
        .testTarget(
            name: "PollingTests",
            dependencies: ["Polling", "Fetching", "Pipeline", "Storage", "VigiaModel", "TestSupport",
                           .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment", "TextAnalysis"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "TextAnalysis", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Matching", "VigiaModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Storage", "Matching", "VigiaModel", "FeedParsing"]),
        // Runs the built `vigia` binary, as users and outside checks do.
        .testTarget(name: "VigiaCLITests", dependencies: ["VigiaCLI", "vigia", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
