// swift-tools-version: 6.1
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "Duet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "duet", targets: ["duet"]),
        .library(name: "DuetRandom", targets: ["DuetRandom"]),
        .library(name: "DuetTensor", targets: ["DuetTensor"]),
        .library(name: "DuetAudio", targets: ["DuetAudio"]),
        .library(name: "DuetText", targets: ["DuetText"]),
        .library(name: "DuetEncoders", targets: ["DuetEncoders"]),
        // Parsers of untrusted input, for the fuzz harnesses in Fuzz/ (a package of its own).
        .library(name: "DuetData", targets: ["DuetData"]),
        .library(name: "DuetWeights", targets: ["DuetWeights"]),
        .library(name: "DuetTraining", targets: ["DuetTraining"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The HTTP server (`duet serve`); swift-configuration support is not used, so only FullFoundation is on.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        // The PostgreSQL catalogue (`--db postgres://…`, Docs/scale-out.md).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
    ],
    targets: [
        // System libraries from Debian (installed by `make setup`).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile"),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr"),
        .systemLibrary(name: "CKissFFT", path: "Sources/CKissFFT"),
        // gzip streams (CLIP's BPE vocabulary) through Debian's zlib1g-dev.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // File tags through TagLib's C++ property map (Debian's libtagc0-dev / libtag1-dev).
        .target(name: "CTagLib", path: "Sources/CTagLib", linkerSettings: [.linkedLibrary("tag")]),

        // Reproducible randomness (a leaf: the seeded generator, choice helpers, stable hash).
        .target(name: "DuetRandom", swiftSettings: optimised),
        // The protocol-buffer wire format (TensorFlow checkpoints, SentencePiece models); a leaf.
        .target(name: "DuetProtobuf", swiftSettings: optimised),

        // Engine.
        // Products of few rows against a pre-packed weight (AVX2 + FMA tile, chosen at run time).
        .target(name: "CSmallGemm", path: "Sources/CSmallGemm"),
        .target(name: "DuetTensor", dependencies: ["CBLAS", "CSmallGemm", "DuetRandom"], swiftSettings: optimised),
        .target(name: "DuetNN", dependencies: ["DuetRandom", "DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetOptim", dependencies: ["DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetWeights", dependencies: ["DuetTensor", "DuetProtobuf", "CZlib"], swiftSettings: optimised),

        // Locked encoders and their inputs.
        .target(name: "DuetAudio", dependencies: ["CSndFile", "CSoxr", "CKissFFT", "CTagLib"], swiftSettings: optimised),
        .target(name: "DuetText", dependencies: ["CZlib", "DuetProtobuf"], swiftSettings: optimised),
        .target(
            name: "DuetEncoders", dependencies: ["DuetTensor", "DuetWeights", "DuetAudio", "DuetText"],
            swiftSettings: optimised),

        // Data, model, training, evaluation.
        .target(name: "DuetData", dependencies: ["DuetRandom"], resources: [.copy("Resources")]),
        .target(name: "DuetModel", dependencies: ["DuetRandom", "DuetTensor", "DuetNN", "DuetWeights"], swiftSettings: optimised),
        .target(
            name: "DuetTraining",
            dependencies: [
                "DuetRandom", "DuetTensor", "DuetWeights", "DuetNN", "DuetOptim", "DuetModel", "DuetRetrieval", "DuetData",
            ],
            swiftSettings: optimised),
        .target(name: "DuetRetrieval", dependencies: ["DuetRandom", "DuetTensor"], swiftSettings: optimised),
        // The feature cache: the locked encoders' outputs on disk, keyed by content (Docs/training.md).
        .target(
            name: "DuetFeatures", dependencies: ["DuetWeights", "DuetAudio", "DuetEncoders", "DuetModel"],
            swiftSettings: optimised),
        .target(
            name: "DuetPipeline",
            dependencies: [
                "DuetTensor", "DuetAudio", "DuetEncoders", "DuetData", "DuetFeatures", "DuetModel", "DuetTraining",
                "DuetRetrieval", "DuetWeights",
            ],
            resources: [.copy("Resources")],
            swiftSettings: optimised),

        // The embedded default corpus (procedural music rendered with FluidSynth).
        .systemLibrary(name: "CFluidSynth", path: "Sources/CFluidSynth"),
        .target(name: "DuetSynth", dependencies: ["CFluidSynth", "DuetData", "DuetRandom", "DuetTensor"], swiftSettings: optimised),

        // The music library: catalogue (SQLite through GRDB) and search.
        .target(name: "DuetCatalog", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // The catalogue in PostgreSQL, the work queue of `duet worker` and change notifications for replicas.
        .target(name: "DuetCatalogPostgres", dependencies: ["DuetCatalog", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .target(
            name: "DuetSearch",
            dependencies: [
                "DuetCatalog", "DuetRandom", "DuetTensor", "DuetAudio", "DuetEncoders", "DuetFeatures", "DuetModel",
                "DuetTraining", "DuetPipeline", "DuetData",
            ],
            swiftSettings: optimised),
        // `duet demo`'s job: corpus, features, training, evaluation and search, stage by stage.
        .target(
            name: "DuetDemo",
            dependencies: [
                "DuetCatalog", "DuetData", "DuetModel", "DuetPipeline", "DuetRetrieval", "DuetSearch", "DuetSynth",
                "DuetTraining",
            ]),
        // The listening study: planner, SQLite store (GRDB), report with Wilson intervals, SVG (Docs/study.md).
        .target(
            name: "DuetStudy",
            dependencies: [
                "DuetData", "DuetRandom", "DuetModel", "DuetFeatures", "DuetTraining", "DuetPipeline",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // The search server: JSON API, audio with HTTP ranges and the web page (Docs/server.md); the study page.
        .target(
            name: "DuetServer",
            dependencies: ["DuetSearch", "DuetCatalog", "DuetStudy", .product(name: "Hummingbird", package: "hummingbird")],
            resources: [.copy("Resources")]),

        .target(
            name: "DuetTestSupport",
            dependencies: ["DuetRandom", "DuetTensor", "DuetModel", "DuetSynth", "DuetAudio", "DuetEncoders", "DuetText", "DuetWeights"]),

        // Benchmarks.
        .target(
            name: "DuetBenchmarks", dependencies: ["DuetRandom", "DuetTensor", "DuetNN", "DuetOptim", "DuetModel", "DuetServer"],
            swiftSettings: optimised),
        .executableTarget(
            name: "duet-bench",
            dependencies: [
                "DuetBenchmarks", "DuetTensor", "DuetServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "duet",
            dependencies: [
                "DuetRandom", "DuetTensor", "DuetAudio", "DuetText", "DuetEncoders", "DuetWeights", "DuetData", "DuetFeatures",
                "DuetModel", "DuetTraining", "DuetRetrieval", "DuetPipeline", "DuetSynth", "DuetCatalog", "DuetCatalogPostgres",
                "DuetSearch", "DuetServer", "DuetDemo", "DuetStudy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "DuetRandomTests", dependencies: ["DuetRandom"]),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor", "DuetRandom", "DuetTestSupport"]),
        .testTarget(
            name: "DuetNNTests", dependencies: ["DuetNN", "DuetOptim", "DuetWeights", "DuetRandom", "DuetTestSupport"],
            resources: [.copy("Resources")]),
        .testTarget(name: "DuetOptimTests", dependencies: ["DuetOptim", "DuetNN", "DuetTestSupport"]),
        .testTarget(
            name: "DuetWeightsTests", dependencies: ["DuetWeights", "DuetTestSupport"], resources: [.copy("Resources")]),
        .testTarget(
            name: "DuetAudioTests", dependencies: ["DuetAudio", "DuetTestSupport", "CSndFile"],
            resources: [.copy("Resources")]),
        .testTarget(name: "DuetTextTests", dependencies: ["DuetText"], resources: [.copy("Resources")]),
        .testTarget(
            name: "DuetEncodersTests",
            dependencies: [
                "DuetEncoders", "DuetAudio", "DuetText", "DuetWeights", "DuetTensor", "DuetRandom", "DuetTestSupport",
            ],
            resources: [.copy("Resources")]),
        .testTarget(name: "DuetDataTests", dependencies: ["DuetData", "DuetRandom"], resources: [.copy("Resources")]),
        .testTarget(name: "DuetModelTests", dependencies: ["DuetModel", "DuetRandom", "DuetTestSupport"], resources: [.copy("Resources")]),
        .testTarget(name: "DuetTrainingTests", dependencies: ["DuetTraining", "DuetModel", "DuetRandom", "DuetTensor", "DuetData"]),
        .testTarget(name: "DuetRetrievalTests", dependencies: ["DuetRetrieval", "DuetRandom"]),
        .testTarget(name: "DuetFeaturesTests", dependencies: ["DuetFeatures", "DuetModel", "DuetEncoders", "DuetAudio"]),
        .testTarget(
            name: "DuetPipelineTests",
            dependencies: [
                "DuetPipeline", "DuetSynth", "DuetData", "DuetFeatures", "DuetModel", "DuetTraining", "DuetRetrieval",
                "DuetEncoders", "DuetText", "DuetWeights", "DuetTensor", "DuetRandom", "DuetTestSupport",
            ]),
        .testTarget(
            name: "DuetDemoTests",
            dependencies: ["DuetDemo", "DuetData", "DuetPipeline", "DuetSynth", "DuetTraining", "DuetEncoders", "DuetTestSupport"]),
        .testTarget(name: "DuetSynthTests", dependencies: ["DuetSynth", "DuetData", "DuetRandom"]),
        .testTarget(name: "DuetCatalogTests", dependencies: ["DuetCatalog", "DuetCatalogPostgres", "DuetTestSupport"]),
        .testTarget(
            name: "DuetSearchTests",
            dependencies: [
                "DuetSearch", "DuetCatalog", "DuetCatalogPostgres", "DuetModel", "DuetAudio", "DuetRandom", "DuetTensor",
                "DuetPipeline", "DuetSynth", "DuetTestSupport",
            ]),
        .testTarget(name: "DuetStudyTests", dependencies: ["DuetStudy", "DuetRandom", "DuetTestSupport"]),
        .testTarget(
            name: "DuetServerTests",
            dependencies: [
                "DuetServer", "DuetStudy", "DuetSynth", "DuetTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ]
)
