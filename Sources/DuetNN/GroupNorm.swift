import DuetTensor

/// Group normalisation, as `torch.nn.GroupNorm(groups, channels, eps)`: the channels of each item
/// are split into `groups` groups, each normalised over its channels and positions,
/// `(x − μ)/√(σ² + ε)`, then scaled and shifted per channel. Unlike batch normalisation it has no
/// running statistics, so training and evaluation compute the same function.
///
/// `[batch, channels, ...]` → same shape. Keys: `weight` (starts at 1), `bias` (starts at 0).
public final class GroupNorm: Module {
    public let groups: Int
    public let weight: Tensor
    public let bias: Tensor
    public let epsilon: Float

    public init(groups: Int, channels: Int, epsilon: Float = 1e-5) {
        precondition(groups > 0 && channels % groups == 0, "\(channels) channels do not split into \(groups) groups")
        self.groups = groups
        weight = Tensor.ones([channels], requiresGradient: true)
        bias = Tensor.zeros([channels], requiresGradient: true)
        self.epsilon = epsilon
    }

    public override var ownParameters: [(key: String, parameter: Tensor)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let channels = weight.count
        precondition(input.rank >= 2 && input.shape[1] == channels, "GroupNorm over \(channels) channels got \(input.shape)")
        let batch = input.shape[0]
        let groupSize = input.count / (batch * groups)
        // Normalise each (item, group) row without an affine map, then apply the per-channel one.
        let normalised = input.reshaped([batch, groups, groupSize])
            .layerNorm(weight: Tensor.ones([groupSize]), bias: Tensor.zeros([groupSize]), epsilon: epsilon)
            .reshaped(input.shape)
        let affineShape = [1, channels] + [Int](repeating: 1, count: input.rank - 2)
        return normalised * weight.reshaped(affineShape) + bias.reshaped(affineShape)
    }
}
