import Foundation

/// The house style of Duet's SVG charts (training curves, sweeps, the listening study's preference bars):
/// one palette, one font, number formatting, tick placement and text escaping, shared so every chart
/// looks alike. Plain SVG 1.1, no scripts or external fonts.
public enum SVGStyle {
    /// Series colours, in order.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// The opening `<svg>` element with a white background and a centred title.
    public static func header(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
    }

    /// About five round tick values covering `low...high`.
    public static func ticks(_ low: Double, _ high: Double) -> [Double] {
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

    /// Whole numbers without decimals, others with `digits` significant digits (`digits == 2`: two decimals,
    /// for coordinates).
    public static func format(_ value: Double, digits: Int = 3) -> String {
        if digits == 2 { return String(format: "%.2f", value) }
        return value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(format: "%.\(digits)g", value)
    }

    /// Text content escaped for SVG/XML.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
