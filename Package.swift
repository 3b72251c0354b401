// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Loa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loa", targets: ["loa"]),
        .library(name: "LoaModel", targets: ["LoaModel"]),
        .library(name: "LoaPlanner", targets: ["LoaPlanner"]),
        .library(name: "LoaAudio", targets: ["LoaAudio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // C libraries, reached directly through system library targets.
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),

        // The station as values, its YAML config and its validation.
        .target(name: "LoaModel", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Pure planning: station + dates in, plan out. No files, devices or clock.
        .target(name: "LoaPlanner", dependencies: ["LoaModel"]),
        // Audio files through libsndfile: probing and streaming decode.
        .target(name: "LoaAudio", dependencies: ["CSndFile"]),

        .executableTarget(
            name: "loa",
            dependencies: [
                "LoaModel", "LoaPlanner", "LoaAudio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "loa-bench", dependencies: ["LoaModel", "LoaPlanner"]),

        // Audio fixtures written through libsndfile and temporary station folders, for the tests only.
        .target(name: "LoaTestSupport", dependencies: ["CSndFile", "LoaModel"], path: "Tests/LoaTestSupport"),
        .testTarget(
            name: "LoaModelTests",
            dependencies: ["LoaModel", "LoaTestSupport"]),
        .testTarget(
            name: "LoaPlannerTests",
            dependencies: [
                "LoaModel", "LoaPlanner",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "LoaAudioTests", dependencies: ["LoaAudio", "LoaTestSupport"]),
        .testTarget(name: "LoaCLITests", dependencies: ["loa", "LoaTestSupport"]),
    ]
)
