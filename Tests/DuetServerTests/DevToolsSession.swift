import Foundation

/// Chrome DevTools protocol over one WebSocket to the browser endpoint, with a page attached in flat
/// mode (commands carry its `sessionId`). Commands wait for their own answer; events that arrive
/// meanwhile are kept in `events` for the test to inspect. Not thread-safe: one thread drives it.
final class DevToolsSession {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: WebSocketConnection
    private var nextID = 1
    private(set) var pageSession: String?
    private(set) var events: [[String: Any]] = []

    init(port: Int, browserPath: String) throws {
        socket = try WebSocketConnection(port: port, path: browserPath, timeout: .seconds(10))
    }

    /// Opens a blank page and sends later commands to it.
    func attachNewPage() throws {
        let target = try call("Target.createTarget", ["url": "about:blank"], toPage: false)
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no targetId in \(target)") }
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], toPage: false)
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "no sessionId in \(attached)") }
        pageSession = session
    }

    @discardableResult
    func call(_ method: String, _ parameters: [String: Any] = [:], toPage: Bool = true, timeout: Duration = .seconds(30))
        throws -> [String: Any]
    {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if toPage, let pageSession { message["sessionId"] = pageSession }
        try socket.send(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self))
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = try socket.receive(deadline: deadline)
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            if let answer = object["id"] as? Int, answer == id {
                if let error = object["error"] as? [String: Any] {
                    throw Failure(description: "\(method) failed: \(error["message"] ?? error)")
                }
                return object["result"] as? [String: Any] ?? [:]
            }
            if object["method"] != nil { events.append(object) }
        }
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    func evaluate(_ expression: String) throws -> Any? {
        let result = try call(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let detail = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? exception
            throw Failure(description: "the page threw evaluating \(expression.prefix(80)): \(detail)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Polls `condition` (a JavaScript expression) every 100 ms until it is true.
    func wait(for condition: String, what: String, timeout: Duration = .seconds(120)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try evaluate("Boolean(\(condition))") as? Bool == true { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out after \(timeout) waiting for \(what)")
    }

    /// Errors the page reported: uncaught exceptions, console errors and browser log errors (CSP included).
    var pageErrors: [String] {
        events.compactMap { event in
            let parameters = event["params"] as? [String: Any] ?? [:]
            switch event["method"] as? String {
            case "Runtime.exceptionThrown":
                return "exception: \(parameters["exceptionDetails"] ?? "")"
            case "Log.entryAdded":
                let entry = parameters["entry"] as? [String: Any] ?? [:]
                return entry["level"] as? String == "error" ? "log: \(entry["text"] ?? "")" : nil
            case "Runtime.consoleAPICalled":
                return parameters["type"] as? String == "error" ? "console: \(parameters["args"] ?? "")" : nil
            default:
                return nil
            }
        }
    }
}
