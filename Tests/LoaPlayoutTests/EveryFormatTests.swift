import Foundation
import LoaAudio
import LoaPlayout
import LoaTestSupport
import Testing

/// Every sample format that probing accepts reaches the device as the source's waveform: the
/// capture is compared sample for sample with libsndfile's decode of the file to doubles (a path
/// independent of the integer reads the player uses), scaled to the device's sample format.
@Suite struct EveryFormatTests {
    let folder = TemporaryFolder()

    @Test(arguments: AudioFixture.Kind.all)
    func eachFormatAirsAsItsDecodedWaveform(kind: AudioFixture.Kind) throws {
        let source = AudioFixture.tone(folder.file("tone-\(kind)"), kind: kind, seconds: 0.5, rate: 22_050, channels: 2)
        let probed = try AudioFile.probe(url: source)
        let capture = folder.file("out.raw")
        let report = try PreparedPlayback(url: source, device: Capture.device(capture)).play()
        #expect(report.completed && report.outputSound && !report.silent(sourcePeak: probed.peak))
        let reference = Reference.doubles(source)
        let fullScale: Double
        let captured: [Double]
        switch report.negotiated.format.sample {
        case .s16:
            fullScale = 32_768
            captured = Capture.int16s(capture).map(Double.init)
        case .s32:
            fullScale = 2_147_483_648
            captured = Capture.int32s(capture).map(Double.init)
        }
        #expect(captured.count == reference.count, "\(kind): \(captured.count) samples for \(reference.count)")
        // Within one step of 16-bit (lossy decoders round their integer output their own way),
        // and within 2^-23 of full scale for what is played as 32-bit.
        let tolerance = report.negotiated.format.sample == .s16 ? 1.0 : 256.0
        let worst = zip(captured, reference).map { abs($0 - ($1 * fullScale).rounded()) }.max() ?? .infinity
        #expect(worst <= tolerance, "\(kind): off by \(worst)")
        let peak = captured.map(abs).max() ?? 0
        #expect(peak > 0.45 * fullScale, "\(kind): the tone's 0.5 amplitude reached the device (\(peak / fullScale))")
        #expect(abs((probed.peak ?? 0) - 0.5) < 0.02, "\(kind): probing measured the peak")
    }

    /// A file that is digital silence is no fault; a player whose output is silent where the source
    /// has sound is.
    @Test func silenceIsToldFromSilentOutput() throws {
        let quiet = folder.file("quiet.wav")
        try Tone.write(quiet, seconds: 0.2, rate: 8_000, frequency: 0)
        let report = try PreparedPlayback(url: quiet, device: Capture.device(folder.file("q.raw"))).play()
        #expect(!report.outputSound && !report.decodedSound && !report.silent(sourcePeak: 0))
        #expect(report.silent(sourcePeak: 0.5), "the source's probed peak says there was sound to play")
        let tone = AudioFixture.tone(folder.file("tone.wav"), seconds: 0.2, rate: 8_000)
        let muted = try PreparedPlayback(url: tone, device: Capture.device(folder.file("m.raw")), options: PlayoutOptions(gainDB: -200)).play()
        #expect(muted.decodedSound && !muted.outputSound && muted.silent(sourcePeak: nil))
    }
}
