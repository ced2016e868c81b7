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
        .target(name: "DuetData", dependencies: ["DuetTensor"], resources: [.copy("Resources")]),
        .target(name: "DuetTestSupport", dependencies: ["DuetTensor"]),
        .executableTarget(
            name: "duet",
            dependencies: [
                "DuetTensor",
                "DuetData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor", "DuetTestSupport"]),
        .testTarget(name: "DuetWeightsTests", dependencies: ["DuetWeights", "DuetTestSupport"]),
        .testTarget(name: "DuetDataTests", dependencies: ["DuetData", "DuetTensor"], resources: [.copy("Resources")]),
    ]
)
