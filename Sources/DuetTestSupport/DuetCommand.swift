import Foundation

/// One run of the `duet` executable built beside the tests, as a user runs it: arguments in, exit
/// status and both output streams out.
public struct DuetCommand: Sendable {
    public var status: Int32
    public var output: String
    public var error: String

    /// The executable is missing: the test build did not build the `duet` product.
    public struct MissingExecutable: LocalizedError {
        public init() {}

        public var errorDescription: String? {
            "the duet executable is not beside the test bundle; build with `swift build --build-tests` (it builds every product)"
        }
    }

    /// Runs `duet arguments...` to completion (both pipes are drained, so a chatty run cannot block).
    /// - Throws: `MissingExecutable`, or the error of starting the process.
    public static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> DuetCommand {
        guard let executable = SearchFixtures.duetExecutable() else { throw MissingExecutable() }
        return try run(executable: executable, arguments, environment: environment)
    }

    /// Runs any executable the same way (the PostgreSQL tools of `PostgresCluster`, for one).
    public static func run(executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> DuetCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // stderr is read on its own thread while stdout is read here, so neither pipe fills up.
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = errorData.wait()
        return DuetCommand(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                           error: String(decoding: err, as: UTF8.self))
    }
}

/// The stderr bytes handed from the reading thread to the caller.
private final class ErrorCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}
