import DuetTraining
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("Line chart")
struct LineChartTests {
    @Test func drawsEverySeriesWithEscapedLabels() throws {
        let chart = LineChart(
            title: "Loss & R@10", xLabel: "epoch", yLabel: "loss",
            series: [.init(name: "train", points: [(1, 4.2), (2, 3.1), (3, 2.5)]),
                     .init(name: "valid <held-out>", points: [(1, 4.4), (2, 3.6), (3, .nan)])])
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("Loss &amp; R@10"))
        #expect(svg.contains("valid &lt;held-out&gt;"))
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.components(separatedBy: "<circle").count == 6, "the NaN point is skipped")
        #expect(!svg.contains("nan"))
        // Well-formed XML.
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
    }
}
