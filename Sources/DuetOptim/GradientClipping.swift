import DuetTensor

/// Scales all gradients together so their global L2 norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`: `g ← g·min(1, maxNorm/(‖g‖ + 1e-6))`.
///
/// - Returns: the global norm before clipping (accumulated in Float64).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for parameter in parameters {
        guard let gradient = parameter.gradient else { continue }
        for value in gradient { total += Double(value) * Double(value) }
    }
    let norm = Float(total.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for parameter in parameters {
            parameter.withMutableGradient { gradient in
                for index in gradient.indices { gradient[index] *= scale }
            }
        }
    }
    return norm
}
