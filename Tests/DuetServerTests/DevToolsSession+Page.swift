import Foundation

extension DevToolsSession {
    /// Starts headless Chromium (its log in `output`), opens one page of 1000 × 900 CSS pixels with the
    /// page, runtime and log domains on, navigates it to `url` and runs `body`; the browser is closed and
    /// stopped afterwards, whatever `body` does.
    static func withPage<Result>(
        executable: URL, output: URL, url: String, _ body: (DevToolsSession) throws -> Result
    ) throws -> Result {
        let browser = try ChromiumProcess(executable: executable, log: output.appendingPathComponent("chromium.log"))
        defer { browser.stop() }
        try browser.waitForDevTools(timeout: .seconds(120))
        let session = try DevToolsSession(port: browser.devToolsPort, browserPath: browser.devToolsPath)
        defer { _ = try? session.call("Browser.close", toPage: false, timeout: .seconds(5)) }
        try session.attachNewPage()
        for method in ["Page.enable", "Runtime.enable", "Log.enable", "Page.bringToFront"] { try session.call(method) }
        try session.setViewport(width: 1000, height: 900, mobile: false)
        try session.call("Page.navigate", ["url": url])
        return try body(session)
    }

    /// Emulates a screen of `width` × `height` CSS pixels at scale 1.
    func setViewport(width: Int, height: Int, mobile: Bool) throws {
        try call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
    }

    /// Writes a PNG of the viewport to `file` and prints where it is.
    func screenshot(to file: URL) throws {
        let result = try call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": false])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot data")
        }
        try data.write(to: file)
        print("browser test screenshot: \(file.path)")
    }

    /// Types `text` into the focused element and presses Enter, as a user would.
    func typeAndPressEnter(_ text: String) throws {
        try call("Input.insertText", ["text": text])
        for type in ["keyDown", "keyUp"] {
            try call(
                "Input.dispatchKeyEvent",
                ["type": type, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": type == "keyDown" ? "\r" : ""])
        }
    }

    /// Presses and releases one key on the focused page, as a keyboard would (`key` as in `KeyboardEvent.key`).
    func press(key: String, code: String, keyCode: Int, text: String = "") throws {
        for type in ["keyDown", "keyUp"] {
            try call(
                "Input.dispatchKeyEvent",
                ["type": type, "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "text": type == "keyDown" ? text : ""])
        }
    }
}
