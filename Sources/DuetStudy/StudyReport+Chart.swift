import DuetTraining
import Foundation

extension StudyReport {
    /// The comparisons as horizontal stacked bars (win, tie, loss of the first system, in percent), one bar per
    /// pair and dataset, each labelled with its answer count; the black whisker on a bar spans the win share's
    /// 95 % Wilson interval. In the house SVG style (``SVGStyle``).
    public func svg(title: String) -> String {
        let rows = comparisons
        let width = 760.0, left = 230.0, right = 30.0, top = 64.0, rowHeight = 30.0, bottom = 44.0
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
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(height - 10)\" text-anchor=\"middle\">share of answers (%)</text>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let barY = y + 5, barHeight = rowHeight - 10
            let label = "\(row.system) vs \(row.opponent) · \(row.dataset) (n=\(row.answers))"
            svg += "<text x=\"\(left - 8)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\">\(SVGStyle.escape(label))</text>\n"
            guard row.answers > 0 else {
                svg += "<text x=\"\(left + 6)\" y=\"\(y + rowHeight / 2 + 4)\" fill=\"#777\">no answers</text>\n"
                continue
            }
            var start = 0.0
            for (proportion, colour) in [(row.win, colours.win), (row.tie, colours.tie), (row.loss, colours.loss)] {
                let share = proportion.share ?? 0
                if share > 0 {
                    svg += "<rect x=\"\(SVGStyle.format(px(start), digits: 2))\" y=\"\(barY)\" width=\"\(SVGStyle.format(share * plotWidth, digits: 2))\" height=\"\(barHeight)\" fill=\"\(colour)\"/>\n"
                    if share >= 0.08 {
                        svg += "<text x=\"\(SVGStyle.format(px(start + share / 2), digits: 2))\" y=\"\(barY + barHeight / 2 + 4)\" text-anchor=\"middle\" fill=\"white\">\(Self.percent(share))</text>\n"
                    }
                }
                start += share
            }
            if let interval = row.win.interval {
                let middle = barY + barHeight / 2
                svg += "<line x1=\"\(SVGStyle.format(px(interval.low), digits: 2))\" y1=\"\(middle)\" x2=\"\(SVGStyle.format(px(interval.high), digits: 2))\" y2=\"\(middle)\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
                for end in [interval.low, interval.high] {
                    svg += "<line x1=\"\(SVGStyle.format(px(end), digits: 2))\" y1=\"\(middle - 5)\" x2=\"\(SVGStyle.format(px(end), digits: 2))\" y2=\"\(middle + 5)\" stroke=\"black\" stroke-width=\"1.5\"/>\n"
                }
            }
        }
        svg += "<rect x=\"\(left)\" y=\"\(top - 4)\" width=\"\(plotWidth)\" height=\"\(plotBottom - top + 4)\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "</svg>\n"
        return svg
    }
}
