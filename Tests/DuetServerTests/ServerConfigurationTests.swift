import Testing

@testable import DuetServer

@Suite struct ServerConfigurationTests {
    @Test func loopbackWithoutTokenIsAccepted() throws {
        for host in ["127.0.0.1", "localhost", "::1", "127.1.2.3"] {
            try ServerConfiguration(host: host, port: 8080).validate()
        }
    }

    @Test func otherHostsNeedAToken() throws {
        for host in ["0.0.0.0", "192.168.1.20", "::", "example.org", "127.0.0.1.example.org"] {
            #expect(throws: ServerConfigurationError.tokenRequiredOffLoopback(host: host)) {
                try ServerConfiguration(host: host).validate()
            }
            try ServerConfiguration(host: host, token: "0123456789abcdef").validate()
        }
        let message = ServerConfigurationError.tokenRequiredOffLoopback(host: "0.0.0.0").errorDescription ?? ""
        #expect(message.contains("--token") && message.contains("--host 127.0.0.1"))
    }

    @Test func badValuesAreNamed() {
        #expect(throws: ServerConfigurationError.invalidPort(70_000)) { try ServerConfiguration(port: 70_000).validate() }
        #expect(throws: ServerConfigurationError.invalidHost("")) { try ServerConfiguration(host: "").validate() }
        #expect(throws: ServerConfigurationError.tokenTooShort(minimum: 16)) {
            try ServerConfiguration(token: "short").validate()
        }
        #expect(throws: ServerConfigurationError.tokenCharacters) {
            try ServerConfiguration(token: "has a space in the token").validate()
        }
        #expect(throws: ServerConfigurationError.invalidLimit(name: "defaultK", value: 50)) {
            try ServerConfiguration(limits: ServerLimits(maximumK: 10, defaultK: 50)).validate()
        }
        #expect(throws: ServerConfigurationError.invalidLimit(name: "maximumQueryLength", value: 0)) {
            try ServerConfiguration(limits: ServerLimits(maximumQueryLength: 0)).validate()
        }
    }

    @Test func buildApplicationRefusesABadConfiguration() {
        #expect(throws: ServerConfigurationError.tokenRequiredOffLoopback(host: "0.0.0.0")) {
            _ = try buildApplication(
                configuration: ServerConfiguration(host: "0.0.0.0"), service: InMemorySearchService(entries: []))
        }
    }
}
