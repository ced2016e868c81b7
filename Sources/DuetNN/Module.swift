import DuetRandom
import DuetTensor

/// A trainable layer: owns parameters and child modules, each under a key, so every parameter
/// has a dotted name (`encoder.layers.0.self_attn.in_proj_weight`) that matches the PyTorch
/// `state_dict` key of the same layer. The forward pass is each subclass's `callAsFunction`.
///
/// Modelled on mlx-swift's `Module`: keys are declared explicitly (so Swift property names can
/// stay camelCase while checkpoint keys follow PyTorch), and the tree is walked for parameters,
/// train/eval mode, gradient reset and checkpoint I/O.
open class Module {
    /// Whether the module is in training mode (dropout active). New modules train.
    public private(set) var isTraining = true

    public init() {}

    /// Parameters owned directly by this module, with their keys (no dots).
    open var ownParameters: [(key: String, parameter: Tensor)] { [] }

    /// Child modules with their keys (a list item's key is its index).
    open var children: [(key: String, module: Module)] { [] }

    /// Every parameter in the tree with its dotted name, depth first in declaration order.
    public final func namedParameters() -> [(name: String, parameter: Tensor)] {
        var result = ownParameters.map { (name: $0.key, parameter: $0.parameter) }
        for (key, child) in children {
            result += child.namedParameters().map { (name: key + "." + $0.name, parameter: $0.parameter) }
        }
        return result
    }

    /// Every parameter in the tree, in `namedParameters()` order.
    public final func parameters() -> [Tensor] { namedParameters().map(\.parameter) }

    /// Number of trainable values.
    public final var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Sets training mode on this module and every descendant.
    public final func setTraining(_ training: Bool) {
        isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Training mode (dropout active).
    public final func train() { setTraining(true) }

    /// Evaluation mode (dropout off).
    public final func eval() { setTraining(false) }

    /// Clears the accumulated gradient of every parameter.
    public final func zeroGradients() { for parameter in parameters() { parameter.zeroGradient() } }
}

/// A uniform initialiser `U(−bound, bound)` as a trainable leaf.
func uniformParameter(_ shape: [Int], bound: Float, using generator: inout SeededGenerator) -> Tensor {
    Tensor.randomUniform(shape, lower: -bound, upper: bound, using: &generator, requiresGradient: true)
}
