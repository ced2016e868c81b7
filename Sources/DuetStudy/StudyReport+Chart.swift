import DuetTraining
import Foundation

extension StudyReport {
    /// The comparisons as horizontal stacked bars (win, tie, loss of the first system, in percent), one bar per
    /// pair and dataset, each labelled with its answer count; the black whisker under a bar spans the win share's
    /// 95 % Wilson interval. In the house SVG style (``SVGStyle``).
    public func svg(title: String) -> String {
        let rows = comparisons
        let labels = rows.map { "\($0.system) vs \($0.opponent) · \($0.dataset) (n=\($0.answers))" }
        // About 6.6 px per character at 12 px Helvetica.
        let left = max(160, Double(labels.map(\.count).max() ?? 0) * 6.6 + 16)
        let width = left + 560, right = 30.0, top = 64.0, rowHeight = 34.0, bottom = 44.0
        let height = top + Double(max(rows.count, 1)) * rowHeight + bottom
        let plotWidth = width - left - right
        func px(_ share: Double) -> Double { left + share * plotWidth }
        let colours = (win: SVGStyle.palette[2], tie: "#bdbdbd", loss: SVGStyle.palette[1])
        var svg = SVGStyle.header(width: width, height: height, title: title)
        // Legend.
        for (index, (name, colour)) in [("first system wins", colours.win), ("equally good", colours.tie), ("second system wins", colours.loss)].enumerated() {
            let x = left + Double(index) * 170
            svg += "<rect x=\"\(x)\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
            svg += "<text x=\"\(x + 17)\" y=\"44\">\(SVGStyle.escape(name))</text>\n"
        }
        let plotBottom = top + Double(rows.count) * rowHeight
        for tick in SVGStyle.ticks(0, 100) {
            let x = px(tick / 100)
            svg += "<line x1=\"\(SVGStyle.format(x, digits: 2))\" y1=\"\(top - 4)\" x2=\"\(SVGStyle.format(x, digits: 2))\" y2=\"\(plotBottom)\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(SVGStyle.format(x, digits: 2))\" y=\"\(plotBottom + 16)\" text-anchor=\"middle\">\(SVGStyle.format(tick))</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">share of answers (%); whisker: 95 % Wilson interval of the first system's wins</text>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let barY = y + 4, barHeight = 20.0
            svg += "<text x=\"\(SVGStyle.format(left - 8, digits: 2))\" y=\"\(barY + barHeight / 2 + 4)\" text-anchor=\"end\">\(SVGStyle.escape(labels[index]))</text>\n"
            guard row.answers > 0 else {
                svg += "<text x=\"\(SVGStyle.format(left + 6, digits: 2))\" y=\"\(barY + barHeight / 2 + 4)\" fill=\"#777\">no answers</text>\n"
                continue
            }
            var start = 0.0
            for (proportion, colour, text) in [(row.win, colours.win, "white"), (row.tie, colours.tie, "#222"), (row.loss, colours.loss, "white")] {
                let share = proportion.share ?? 0
                if share > 0 {
                    svg += "<rect x=\"\(SVGStyle.format(px(start), digits: 2))\" y=\"\(barY)\" width=\"\(SVGStyle.format(share * plotWidth, digits: 2))\" height=\"\(barHeight)\" fill=\"\(colour)\"/>\n"
                    if share >= 0.08 {
                        svg += "<text x=\"\(SVGStyle.format(px(start + share / 2), digits: 2))\" y=\"\(barY + barHeight / 2 + 4)\" text-anchor=\"middle\" fill=\"\(text)\">\(Self.percent(share))</text>\n"
                    }
                }
                start += share
            }
            if let interval = row.win.interval {
                let middle = barY + barHeight + 4
                svg += "<line x1=\"\(SVGStyle.format(px(interval.low), digits: 2))\" y1=\"\(middle)\" x2=\"\(SVGStyle.format(px(interval.high), digits: 2))\" y2=\"\(middle)\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
                for end in [interval.low, interval.high] {
                    svg += "<line x1=\"\(SVGStyle.format(px(end), digits: 2))\" y1=\"\(middle - 3)\" x2=\"\(SVGStyle.format(px(end), digits: 2))\" y2=\"\(middle + 3)\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
                }
            }
        }
        svg += "<rect x=\"\(left)\" y=\"\(top - 4)\" width=\"\(plotWidth)\" height=\"\(plotBottom - top + 4)\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "</svg>\n"
        return svg
    }
}
