import Foundation

/// A small SVG line chart for training curves (loss, validation R@10 against epoch) and sweeps.
///
/// Plain SVG 1.1 with no scripts or external fonts, so it renders the same in a browser, an image
/// viewer or a Markdown preview.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width = 640.0
    public var height = 400.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// The chart as an SVG document.
    public func svg() -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 55.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = finite.map(\.x), ys = finite.map(\.y)
        let (xMin, xMax) = Self.paddedRange(xs.min() ?? 0, xs.max() ?? 1, pad: 0)
        let (yMin, yMax) = Self.paddedRange(ys.min() ?? 0, ys.max() ?? 1, pad: 0.05)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(Self.escape(title))</text>

        """
        for tick in Self.ticks(yMin, yMax) {
            let y = py(tick)
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Self.format(tick))</text>\n"
        }
        for tick in Self.ticks(xMin, xMax) {
            let x = px(tick)
            svg += "<line x1=\"\(x)\" y1=\"\(top + plotHeight)\" x2=\"\(x)\" y2=\"\(top + plotHeight + 4)\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(Self.format(tick))</text>\n"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg += "<text transform=\"translate(16 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>\n"
        for (index, line) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            if points.count > 1 {
                let path = points.map { "\(Self.format(px($0.x), digits: 2)),\(Self.format(py($0.y), digits: 2))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            }
            for point in points {
                svg += "<circle cx=\"\(Self.format(px(point.x), digits: 2))\" cy=\"\(Self.format(py(point.y), digits: 2))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
            }
            let legendY = top + 14 + Double(index) * 16
            svg += "<line x1=\"\(left + plotWidth - 150)\" y1=\"\(legendY - 4)\" x2=\"\(left + plotWidth - 130)\" y2=\"\(legendY - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(left + plotWidth - 124)\" y=\"\(legendY)\">\(Self.escape(line.name))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    static func paddedRange(_ low: Double, _ high: Double, pad: Double) -> (Double, Double) {
        if high - low < 1e-12 { return (low - 1, high + 1) }
        let margin = (high - low) * pad
        return (low - margin, high + margin)
    }

    /// About five round tick values covering `low...high`.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = ceil(low / step) * step
        var ticks: [Double] = []
        while tick <= high + step * 1e-9 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        if digits == 2 { return String(format: "%.2f", value) }
        return value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(format: "%.\(digits)g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
