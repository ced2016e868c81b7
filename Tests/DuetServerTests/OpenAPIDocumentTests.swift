import Foundation
import Testing

@testable import DuetServer

/// `Docs/openapi.yaml` documents exactly the routes the app registers (``ServerRoute``), each as a GET.
@Suite struct OpenAPIDocumentTests {
    static var documentURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/openapi.yaml")
    }

    /// The `paths:` section's keys (two-space indent) and the methods under each (four-space indent).
    static func documentedOperations(_ text: String) -> [String: [String]] {
        var operations: [String: [String]] = [:]
        var inPaths = false
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line == "paths:"
                current = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                operations[current!] = []
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                operations[path, default: []].append(String(line.dropFirst(4).dropLast()))
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndNothingElse() throws {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let operations = Self.documentedOperations(text)
        let routes = Set(ServerRoute.allCases.map(\.rawValue))
        #expect(Set(operations.keys) == routes)
        for route in routes {
            #expect(operations[route] == ["get"], "\(route) is documented as \(operations[route] ?? [])")
        }
    }
}
