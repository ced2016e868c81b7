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

        var svg = SVGStyle.header(width: width, height: height, title: title)
        for tick in SVGStyle.ticks(yMin, yMax) {
            let y = py(tick)
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(SVGStyle.format(tick))</text>\n"
        }
        for tick in SVGStyle.ticks(xMin, xMax) {
            let x = px(tick)
            svg += "<line x1=\"\(x)\" y1=\"\(top + plotHeight)\" x2=\"\(x)\" y2=\"\(top + plotHeight + 4)\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(x)\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\">\(SVGStyle.format(tick))</text>\n"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(SVGStyle.escape(xLabel))</text>\n"
        svg += "<text transform=\"translate(16 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">\(SVGStyle.escape(yLabel))</text>\n"
        for (index, line) in series.enumerated() {
            let colour = SVGStyle.palette[index % SVGStyle.palette.count]
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            if points.count > 1 {
                let path = points.map { "\(SVGStyle.format(px($0.x), digits: 2)),\(SVGStyle.format(py($0.y), digits: 2))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            }
            for point in points {
                svg += "<circle cx=\"\(SVGStyle.format(px(point.x), digits: 2))\" cy=\"\(SVGStyle.format(py(point.y), digits: 2))\" r=\"2.5\" fill=\"\(colour)\"/>\n"
            }
            let legendY = top + 14 + Double(index) * 16
            svg += "<line x1=\"\(left + plotWidth - 150)\" y1=\"\(legendY - 4)\" x2=\"\(left + plotWidth - 130)\" y2=\"\(legendY - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(left + plotWidth - 124)\" y=\"\(legendY)\">\(SVGStyle.escape(line.name))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    static func paddedRange(_ low: Double, _ high: Double, pad: Double) -> (Double, Double) {
        if high - low < 1e-12 { return (low - 1, high + 1) }
        let margin = (high - low) * pad
        return (low - margin, high + margin)
    }
}
