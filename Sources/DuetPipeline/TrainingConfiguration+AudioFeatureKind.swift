import DuetFeatures
import DuetTraining

extension TrainingConfiguration {
    /// This configuration with its audio encoder resolved by `encoders` (`Encoders.resolveAudio`): for MERT and
    /// HTS-AT the weights folder made absolute, its fingerprint, and the layer widths of its configuration.
    public func resolvingAudioEncoder(_ encoders: Encoders) throws -> TrainingConfiguration {
        var resolved = self
        resolved.model = try encoders.resolveAudio(model)
        return resolved
    }

    /// The audio features the model of this configuration reads (for MERT and HTS-AT, from the folder
    /// `encoders` resolves).
    /// - Throws: `AudioEncoderWeightsError` for a missing or changed folder, or its configuration's errors.
    public func audioFeatureKind(encoders: Encoders) throws -> AudioFeatureKind {
        AudioFeatureKind(model: try resolvingAudioEncoder(encoders).model)
    }
}
