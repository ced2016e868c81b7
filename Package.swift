// swift-tools-version: 6.1
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "Duet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "duet", targets: ["duet"]),
        .library(name: "DuetTensor", targets: ["DuetTensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "DuetTensor", dependencies: ["CBLAS"], swiftSettings: optimised),
        .target(name: "DuetWeights", dependencies: ["DuetTensor"], swiftSettings: optimised),
        .target(name: "DuetData"),
        .target(name: "DuetRetrieval", dependencies: ["DuetTensor"], swiftSettings: optimised),
        .target(name: "DuetModel", dependencies: ["DuetTensor", "DuetNN", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetTraining", dependencies: ["DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetTestSupport", dependencies: ["DuetTensor"]),
        .target(name: "DuetNN", dependencies: ["DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetOptim", dependencies: ["DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetBenchmarks", dependencies: ["DuetTensor", "DuetNN", "DuetOptim"], swiftSettings: optimised),
        .executableTarget(
            name: "duet-bench",
            dependencies: ["DuetBenchmarks", "DuetTensor", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "duet",
            dependencies: [
                "DuetTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor", "DuetTestSupport"]),
        .testTarget(
            name: "DuetNNTests", dependencies: ["DuetNN", "DuetOptim", "DuetWeights", "DuetTestSupport"],
            resources: [.copy("Resources")]),
        .testTarget(name: "DuetOptimTests", dependencies: ["DuetOptim", "DuetNN", "DuetTestSupport"]),
        .testTarget(name: "DuetWeightsTests", dependencies: ["DuetWeights", "DuetTestSupport"]),
        .testTarget(name: "DuetDataTests", dependencies: ["DuetData"]),
        .testTarget(name: "DuetRetrievalTests", dependencies: ["DuetRetrieval"]),
        .testTarget(name: "DuetTrainingTests", dependencies: ["DuetTraining"]),
        .testTarget(name: "DuetModelTests", dependencies: ["DuetModel", "DuetTestSupport"]),
    ]
)
