import DuetModel
import DuetTensor
import DuetTestSupport
import Foundation
import Testing

/// A checkpoint written by the PyTorch definition of DuET-MC (`Scripts/reference/duet_model_torch.py`,
/// seeded) loads strictly into Duet and gives PyTorch's embeddings: the parameter names, shapes
/// and the forward pass agree, so checkpoints move between the two in both directions.
@Suite("DuET-MC parity with PyTorch")
struct TorchParityTests {
    struct Expected: Decodable {
        var audio: [Float], audioShape: [Int], text: [Float], textShape: [Int], lengths: [Int]
        var audioEmbedding: [Float], textEmbedding: [Float]
    }

    /// `torch-model`: the locked-musicnn configuration (its `config.json` predates the from-scratch
    /// keys, so it also shows that older checkpoints still load); `torch-model-scratch`: the CNN
    /// over log-mel.
    @Test(arguments: ["torch-model", "torch-model-scratch"])
    func pytorchCheckpointLoadsAndMatches(fixture: String) throws {
        let folder = try #require(Bundle.module.url(forResource: fixture, withExtension: nil, subdirectory: "Resources"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let model = try ModelCheckpoint.loadModel(from: folder)
        let (audio, text) = withoutGradient {
            let time = expected.textShape[1]
            let padding = expected.lengths.flatMap { length in (0..<time).map { $0 >= length } }
            return (model.embedAudio(Tensor(expected.audio, shape: expected.audioShape)),
                    model.embedText(Tensor(expected.text, shape: expected.textShape), keyPadding: padding))
        }
        // PyTorch and Duet run the same maths in other orders through two 2-layer branches (four successive
        // reductions each, the longest the 1024-wide feed-forward layer); unit-norm outputs whose sums are
        // taken as at most four times their size.
        let tolerance = Tolerance.reordered(terms: 1024, magnitude: 4, layers: 8)
        expectClose(audio.storage, expected.audioEmbedding, tolerance, "audio embeddings against PyTorch")
        expectClose(text.storage, expected.textEmbedding, tolerance, "text embeddings against PyTorch")
    }
}
