// swift-tools-version: 6.1
// libFuzzer harnesses for Duet's parsers of untrusted input. Built and run by `make fuzz`
// (Scripts/fuzz.sh) with `-sanitize=fuzzer,address`; each harness is one executable whose
// `LLVMFuzzerTestOneInput` hands the bytes to one parser. Seed corpora: Fuzz/Corpus/<harness>/.
import PackageDescription

let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-manifest", [.product(name: "DuetData", package: "Duet")]),
    ("fuzz-csv", [.product(name: "DuetData", package: "Duet")]),
    ("fuzz-audio", [.product(name: "DuetAudio", package: "Duet")]),
    ("fuzz-wordpiece", [.product(name: "DuetText", package: "Duet")]),
    ("fuzz-safetensors", [.product(name: "DuetWeights", package: "Duet")]),
    ("fuzz-tensorflow-index", [.product(name: "DuetWeights", package: "Duet")]),
    ("fuzz-configuration", [.product(name: "DuetTraining", package: "Duet")]),
    ("fuzz-sentencepiece", [.product(name: "DuetText", package: "Duet")]),
    ("fuzz-e5-model", [.product(name: "DuetWeights", package: "Duet"), .product(name: "DuetText", package: "Duet")]),
]

let package = Package(
    name: "DuetFuzz",
    dependencies: [.package(name: "Duet", path: "..")],
    targets: [.target(name: "FuzzDriver", path: "Sources/FuzzDriver")]
        + harnesses.map {
            .executableTarget(name: $0.name, dependencies: $0.dependencies + ["FuzzDriver"], path: "Sources/\($0.name)")
        }
)
