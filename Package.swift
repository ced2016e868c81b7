// swift-tools-version: 6.1
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "Duet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "duet", targets: ["duet"]),
        .library(name: "DuetTensor", targets: ["DuetTensor"]),
        .library(name: "DuetAudio", targets: ["DuetAudio"]),
        .library(name: "DuetEncoders", targets: ["DuetEncoders"]),
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
        .target(name: "DuetTraining", dependencies: ["DuetTensor", "DuetWeights"], swiftSettings: optimised),
        .target(name: "DuetTestSupport", dependencies: ["DuetTensor"]),
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile"),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr"),
        .systemLibrary(name: "CKissFFT", path: "Sources/CKissFFT"),
        .target(name: "DuetAudio", dependencies: ["CSndFile", "CSoxr", "CKissFFT"], swiftSettings: optimised),
        .target(
            name: "DuetEncoders", dependencies: ["CBLAS", "DuetTensor", "DuetWeights", "DuetAudio"], swiftSettings: optimised),
        .executableTarget(
            name: "duet",
            dependencies: [
                "DuetTensor",
                "DuetAudio",
                "DuetEncoders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor", "DuetTestSupport"]),
        .testTarget(
            name: "DuetWeightsTests", dependencies: ["DuetWeights", "DuetTestSupport"], resources: [.copy("Resources")]),
        .testTarget(name: "DuetDataTests", dependencies: ["DuetData"]),
        .testTarget(name: "DuetRetrievalTests", dependencies: ["DuetRetrieval"]),
        .testTarget(name: "DuetTrainingTests", dependencies: ["DuetTraining"]),
        .testTarget(
            name: "DuetAudioTests", dependencies: ["DuetAudio", "DuetTestSupport", "CSndFile"],
            resources: [.copy("Resources")]),
        .testTarget(
            name: "DuetEncodersTests", dependencies: ["DuetEncoders", "DuetAudio", "DuetTestSupport"],
            resources: [.copy("Resources")]),
    ]
)
