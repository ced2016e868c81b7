import Foundation

extension DevToolsSession {
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
