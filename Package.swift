// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Loa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loa", targets: ["loa"]),
        .executable(name: "loa-console", targets: ["loa-console"]),
        .library(name: "LoaSystem", targets: ["LoaSystem"]),
        .library(name: "LoaModel", targets: ["LoaModel"]),
        .library(name: "LoaPlanner", targets: ["LoaPlanner"]),
        .library(name: "LoaAudio", targets: ["LoaAudio"]),
        .library(name: "LoaPlayout", targets: ["LoaPlayout"]),
        .library(name: "LoaLog", targets: ["LoaLog"]),
        .library(name: "LoaControl", targets: ["LoaControl"]),
        .library(name: "LoaRunner", targets: ["LoaRunner"]),
        .library(name: "LoaReports", targets: ["LoaReports"]),
        .library(name: "LoaConsole", targets: ["LoaConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.10.0"),
    ],
    targets: [
        // C libraries, reached directly through system library targets.
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CALSA", pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(
            name: "CEBUR128", pkgConfig: "libebur128",
            providers: [.apt(["libebur128-dev"])]),
        // timerfd, which the Glibc module does not import.
        .systemLibrary(name: "CLinux"),
        // FFmpeg's libraries, for what libsndfile cannot read (AAC, AMR, WMA, the audio of videos).
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat libavcodec libswresample libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev", "libavutil-dev"])]),

        // The operating system as the daemon and console use it: its threads and monotonic
        // timer, folder watches, durable writes, file stamps; every failure an errno and a path.
        .target(
            name: "LoaSystem",
            dependencies: ["CLinux", .product(name: "SystemPackage", package: "swift-system")]),
        // The station as values, its YAML config and its validation.
        .target(name: "LoaModel", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Pure planning: station + dates in, plan out. No files, devices or clock.
        .target(name: "LoaPlanner", dependencies: ["LoaModel"]),
        // Audio files through libsndfile: probing and streaming decode.
        .target(name: "LoaAudio", dependencies: ["CSndFile", "LoaModel"]),
        // Playing to ALSA devices: outputs, gain, fades, loudness; nothing of plans or quotas.
        .target(
            name: "LoaPlayout",
            dependencies: [
                "CALSA", "CEBUR128", "LoaAudio", "LoaSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Files a commune receives (phone and Zalo recordings, video clips) made into library audio:
        // decoded by FFmpeg, silence trimmed, written as FLAC, probed and measured.
        .target(name: "LoaImport", dependencies: ["LoaMedia", "CSndFile", "LoaAudio", "LoaPlayout", "LoaSystem"]),
        // FFmpeg's decoding of what libsndfile cannot read: imported files and relayed streams.
        .target(name: "LoaMedia", dependencies: ["CFFmpeg"]),
        // Relay (tiếp sóng): a stream or a line input played to a channel's device on the second,
        // with fallback audio while the source is down, stalled or silent.
        .target(name: "LoaRelay", dependencies: ["CALSA", "LoaMedia", "LoaModel", "LoaPlayout", "LoaSystem"]),
        // The broadcast log: one SQLite file, hash-chained rows, tallies.
        .target(
            name: "LoaLog",
            dependencies: [
                "LoaModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // What the daemon and the tools around it (loa status, loa announce, the console) share:
        // the announcement spool, the daemon's state file, the station's status.
        .target(
            name: "LoaControl",
            dependencies: [
                "LoaModel", "LoaPlanner", "LoaLog", "LoaSystem", .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]),
        // The unattended station: plays the plan on time on every channel and logs every broadcast.
        .target(
            name: "LoaRunner",
            dependencies: [
                "LoaSystem", "LoaModel", "LoaPlanner", "LoaAudio", "LoaPlayout", "LoaImport", "LoaRelay", "LoaLog", "LoaControl",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Campaign tallies from the broadcast log, against the plan, in the forms officials use.
        .target(
            name: "LoaReports",
            dependencies: ["LoaModel", "LoaPlanner", "LoaLog", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),

        // The province's central store: each commune's sealed log rows shipped into PostgreSQL,
        // verified there, and reported across communes.
        .target(
            name: "LoaCentral",
            dependencies: [
                "LoaModel", "LoaPlanner", "LoaLog", "LoaReports", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // The operator's web console: the same planner, log, reports and spool, in Vietnamese pages.
        .target(
            name: "LoaConsole",
            dependencies: [
                "LoaModel", "LoaSystem", "LoaPlanner", "LoaAudio", "LoaPlayout", "LoaImport", "LoaLog", "LoaControl", "LoaReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // What the two executables share: the station and log options, the policy for reading a
        // station, argument parsers, the terminal.
        .target(
            name: "LoaFrontend",
            dependencies: [
                "LoaModel", "LoaAudio", "LoaLog", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The CLI and the daemon (`loa run`). The console is an executable of its own, so the
        // daemon's binary carries no web server.
        .executableTarget(
            name: "loa",
            dependencies: [
                "LoaFrontend", "LoaModel", "LoaSystem", "LoaPlanner", "LoaAudio", "LoaPlayout", "LoaImport", "LoaRelay", "LoaLog",
                "LoaControl", "LoaRunner", "LoaReports", "LoaCentral",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // `loa console`: the operator's web console, exec'd by `loa console`.
        .executableTarget(
            name: "loa-console",
            dependencies: [
                "LoaFrontend", "LoaConsole", "LoaModel", "LoaAudio",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The parsers that take outside bytes as fuzz targets (scripts/fuzz.sh builds it with
        // libFuzzer); built normally, it replays inputs, as the test suite does.
        .executableTarget(
            name: "loa-fuzz",
            dependencies: [
                "LoaModel", "LoaAudio", "LoaImport", "LoaMedia", "LoaControl", "LoaConsole",
            ]),
        .executableTarget(
            name: "loa-bench",
            dependencies: [
                "LoaModel", "LoaPlanner", "LoaLog", "LoaControl", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Audio fixtures written through libsndfile and temporary station folders, for the tests only.
        .target(name: "LoaTestSupport", dependencies: ["CSndFile", "LoaAudio", "LoaModel"], path: "Tests/LoaTestSupport"),
        .testTarget(
            name: "LoaSystemTests",
            dependencies: ["LoaSystem", "LoaTestSupport", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(
            name: "LoaModelTests",
            dependencies: ["LoaModel", "LoaTestSupport"]),
        .testTarget(
            name: "LoaPlannerTests",
            dependencies: [
                "LoaModel", "LoaPlanner", "LoaTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "LoaAudioTests", dependencies: ["LoaAudio", "LoaTestSupport"]),
        .testTarget(
            name: "LoaReportsTests",
            dependencies: ["LoaReports", "LoaRunner", "LoaLog", "LoaPlanner", "LoaModel", "LoaTestSupport"]),
        .testTarget(
            name: "LoaConsoleTests",
            dependencies: [
                "LoaConsole", "LoaAudio", "LoaModel", "LoaPlanner", "LoaLog", "LoaControl", "LoaRunner", "LoaTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "LoaLogTests",
            dependencies: [
                "LoaLog", "LoaModel", "LoaTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "LoaRunnerTests",
            dependencies: ["LoaRunner", "LoaControl", "LoaLog", "LoaPlanner", "LoaModel", "LoaPlayout", "LoaRelay", "LoaAudio", "LoaTestSupport"]),
        .testTarget(
            name: "LoaPlayoutTests",
            dependencies: ["LoaPlayout", "LoaAudio", "LoaImport", "LoaMedia", "LoaModel", "LoaRelay", "LoaTestSupport", "CSndFile"]),
        .testTarget(
            name: "LoaCLITests",
            dependencies: [
                "loa", "loa-console", "loa-fuzz", "LoaTestSupport", "LoaLog", "LoaModel", "LoaControl",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)
