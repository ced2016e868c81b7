import DuetFeatures
import DuetTraining

extension TrainingConfiguration {
    /// The audio features the model of this configuration reads.
    public var audioFeatureKind: AudioFeatureKind { AudioFeatureKind(model: modelConfiguration()) }
}
