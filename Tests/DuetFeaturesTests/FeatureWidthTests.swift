import DuetAudio
import DuetEncoders
import DuetFeatures
import DuetModel
import Testing

/// Feature widths come from the encoders' configurations; the model's defaults (which decode older
/// checkpoints) must agree with them. (The text width is the loaded text encoder's `hiddenSize`,
/// set where a model is built for training.)
@Suite struct FeatureWidthTests {
    @Test func musicnnFeaturesAreTheConcatenatedLayerWidths() {
        let musicnn = MusiCNNConfiguration()
        #expect(musicnn.layerWidths == [561, 64, 64, 64])
        #expect(AudioFeatureKind.musicnn(tokenCount: 40).shape == [40, musicnn.midEndChannelCount])
        #expect(AudioFeatureKind.musicnnWidth == 753)
        #expect(ModelConfiguration().audioLayerWidths == musicnn.layerWidths)
        #expect(ModelConfiguration().audioInputShape == AudioFeatureKind.defaultMusicnn.shape)
    }

    @Test func logMelFeaturesHaveTheFrontEndsBands() {
        #expect(AudioFeatureKind.logMel(frameCount: 128).shape == [128, LogMelConfiguration.musicnn.melBandCount])
        #expect(MusiCNNConfiguration().melBandCount == LogMelConfiguration.musicnn.melBandCount)
        #expect(ModelConfiguration.fromScratch.audioInputShape == AudioFeatureKind(model: .fromScratch).shape)
    }
}
