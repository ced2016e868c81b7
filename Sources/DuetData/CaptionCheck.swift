/// Whether a caption says exactly what an item's tags say: every tag present (by any surface form)
/// and no genre, mood or instrument that is not among the tags.
public struct CaptionCheck: Sendable, Equatable {
    /// Tags the caption does not mention, as `category: tag`.
    public var dropped: [String]
    /// Descriptors of a checked category the caption mentions although they are not tags.
    public var invented: [String]

    public var isFaithful: Bool { dropped.isEmpty && invented.isEmpty }

    /// Checks `caption` against `tags`.
    /// - Parameters:
    ///   - lexicon: the known descriptors (vocabulary and swap dictionary); the item's tags are added.
    ///   - checkedCategories: the categories in which an unknown descriptor counts as invented.
    public init(
        caption: String, tags: [String: [String]], lexicon: DescriptorLexicon, vocabulary: TagVocabulary?,
        checkedCategories: Set<String> = Set(TagCategory.descriptors)
    ) {
        var itemLexicon = DescriptorLexicon()
        itemLexicon.add(tags: tags, vocabulary: vocabulary)
        var expected = Set<DescriptorSense>()
        for (category, list) in tags {
            for tag in list {
                expected.insert(DescriptorSense(category: category, canonical: vocabulary?.canonical(tag, in: category) ?? tag))
            }
        }
        var seen = Set<DescriptorSense>()
        var invented: [String] = []
        for mention in lexicon.mentions(in: caption, extra: itemLexicon) {
            let truthful = mention.senses.intersection(expected)
            if truthful.isEmpty {
                if mention.senses.contains(where: { checkedCategories.contains($0.category) }) {
                    invented.append(String(caption[mention.range]))
                }
            } else {
                seen.formUnion(truthful)
            }
        }
        dropped = expected.subtracting(seen).sorted().map { "\($0.category): \($0.canonical)" }
        self.invented = invented
    }
}
