import Foundation
@testable import LoaPlayout
import LoaTestSupport
import Testing

/// Every test here plays through the real libasound2 API into ALSA's `file` PCM and compares the
/// captured samples with what they must be.
@Suite struct ALSAPlayoutTests {
    let folder = TemporaryFolder()

    @Sendable static func play(
        _ source: URL, to capture: URL, options: PlayoutOptions = PlayoutOptions(),
        loudness: LoudnessMeasurement? = nil
    ) throws(PlayoutError) -> PlaybackReport {
        try PreparedPlayback(url: source, device: Capture.device(capture), options: options, loudness: loudness).play()
    }

    func play(_ source: URL, to capture: URL, options: PlayoutOptions = PlayoutOptions()) throws -> PlaybackReport {
        try Self.play(source, to: capture, options: options)
    }

    @Test func wavReachesTheDeviceBitForBit() throws {
        let source = AudioFixture.tone(folder.file("stereo.wav"), seconds: 1.5, rate: 48_000, channels: 2)
        let capture = folder.file("out.raw")
        let report = try play(source, to: capture)
        #expect(report.completed && report.framesPlayed == 72_000)
        #expect(report.negotiated.format == PCMFormat(sample: .s16, channels: 2, rate: 48_000))
        #expect(report.negotiated.pcmType == "FILE")
        // The WAV's data chunk, byte for byte: everything after its 44-byte header.
        let wav = try Data(contentsOf: source)
        #expect(try Data(contentsOf: capture) == wav.suffix(from: 44))
    }

    @Test func twentyFourBitWavKeepsEveryBit() throws {
        let source = AudioFixture.tone(folder.file("hi.wav"), kind: .wav24, seconds: 0.5, rate: 44_100)
        let capture = folder.file("out.raw")
        let report = try play(source, to: capture)
        #expect(report.negotiated.format.sample == .s32)
        let captured = Capture.int32s(capture)
        #expect(captured == Reference.int32s(source))
        #expect(captured.allSatisfy { $0 & 0xFF == 0 }, "24-bit samples sit in the top bytes")
    }

    @Test func mp3PlaysAsLibsndfileDecodesItWithTheSourceLength() throws {
        let wav = AudioFixture.tone(folder.file("src.wav"), seconds: 2, rate: 44_100, channels: 2)
        let mp3 = AudioFixture.tone(folder.file("src.mp3"), kind: .mp3, seconds: 2, rate: 44_100, channels: 2)
        let capture = folder.file("out.raw")
        let report = try play(mp3, to: capture)
        let captured = Capture.int16s(capture)
        #expect(captured == Reference.int16s(mp3))
        #expect(report.framesPlayed == Reference.int16s(wav).count / 2)
        #expect(captured.count == 2 * 88_200)
    }

    @Test(arguments: [-6.0, 3.5, 12.0])
    func gainIsExactArithmetic(gainDB: Double) throws {
        let source = AudioFixture.tone(folder.file("g.wav"), seconds: 0.5, rate: 16_000)
        let capture = folder.file("out.raw")
        let report = try play(source, to: capture, options: PlayoutOptions(gainDB: gainDB))
        let factor = pow(10, gainDB / 20)
        #expect(report.gain == factor)
        let expected = Reference.scaled(Reference.int16s(source), by: { _ in factor }, channels: 1)
        #expect(Capture.int16s(capture) == expected)
        if gainDB == 12 { #expect(expected.contains(32_767), "+12 dB on a half-scale tone must saturate") }
    }

    @Test func cutOffFadesOutOverTheConfiguredTime() throws {
        let source = AudioFixture.tone(folder.file("long.wav"), seconds: 3, rate: 8_000, channels: 2)
        let capture = folder.file("out.raw")
        let playback = try PreparedPlayback(
            url: source, device: Capture.device(capture),
            options: PlayoutOptions(gainDB: -2, fadeOut: .milliseconds(250), chunkFrames: 1000))
        let control = PlaybackControl()
        let report = try playback.play(control: control) { played in
            if played >= 5_000 { control.requestStop() }
        }
        #expect(!report.completed)
        #expect(report.fadeStartFrame == 5_000)
        #expect(report.framesPlayed == 5_000 + 2_000, "a 250 ms fade at 8 kHz is 2000 frames")
        let fade = GainStage.Fade(start: 5_000, length: 2_000)
        let gain = pow(10, -2.0 / 20)
        let expected = Reference.scaled(
            Array(Reference.int16s(source).prefix(7_000 * 2)), by: { gain * fade.envelope(atFrame: $0) }, channels: 2)
        let captured = Capture.int16s(capture)
        #expect(captured == expected)
        #expect(captured.suffix(2).allSatisfy { abs(Int($0)) <= 16 }, "ends near silence, no click")
    }

    @Test func twoOutputsPlayAtOnceEachExact() throws {
        let a = AudioFixture.tone(folder.file("a.wav"), seconds: 2, rate: 22_050, frequency: 440)
        let b = AudioFixture.tone(folder.file("b.flac"), kind: .flac, seconds: 3, rate: 32_000, channels: 2, frequency: 660)
        let captureA = folder.file("a.raw"), captureB = folder.file("b.raw")
        let results = try Concurrently.run([
            { try Self.play(a, to: captureA) }, { try Self.play(b, to: captureB) },
        ])
        #expect(results.allSatisfy { $0.completed })
        #expect(Capture.int16s(captureA) == Reference.int16s(a))
        #expect(Capture.int16s(captureB) == Reference.int16s(b))
    }

    @Test func injectedUnderrunIsRecoveredAndOutputStaysExact() throws {
        let source = AudioFixture.tone(folder.file("u.wav"), seconds: 1, rate: 16_000)
        let capture = folder.file("out.raw")
        let injected = Injected(errorCode: -EPIPE, atFrame: 8_192)
        let output = try ALSAOutput(
            device: Capture.device(capture), format: PCMFormat(sample: .s16, channels: 1, rate: 16_000),
            faults: injected.faults)
        let report = try PreparedPlayback(url: source, device: "", opener: Reusing(output)).play()
        #expect(report.recoveries == 1)
        #expect(injected.fired == 1)
        #expect(Capture.int16s(capture) == Reference.int16s(source))
    }

    @Test func deviceGoneIsATypedErrorAndTheOtherOutputCarriesOn() throws {
        let source = AudioFixture.tone(folder.file("s.wav"), seconds: 2, rate: 16_000)
        let healthy = folder.file("healthy.raw"), failing = folder.file("failing.raw")
        let gone = Injected(errorCode: -ENODEV, atFrame: 12_288)
        let failingOutput = try ALSAOutput(
            device: Capture.device(failing), format: PCMFormat(sample: .s16, channels: 1, rate: 16_000),
            faults: gone.faults)
        let results = Concurrently.results([
            { try PreparedPlayback(url: source, device: "", opener: Reusing(failingOutput)).play() },
            { try Self.play(source, to: healthy) },
        ])
        guard case .failure(PlayoutError.device(let error)) = results[0] else {
            Issue.record("expected the failing device to throw, got \(results[0])")
            return
        }
        #expect(error.kind == .gone)
        #expect(error.description == "ALSA device '\(Capture.device(failing))': write: No such device")
        // What reached the device before it went is intact (the file PCM keeps what was played).
        let partial = Capture.int16s(failing)
        #expect(partial.count <= 12_288 && partial.count > 0)
        #expect(partial == Array(Reference.int16s(source).prefix(partial.count)))
        #expect((try? results[1].get())?.completed == true)
        #expect(Capture.int16s(healthy) == Reference.int16s(source))
    }

    @Test func aDeviceThatNeverAcceptsTimesOutInsteadOfHanging() throws {
        let source = AudioFixture.tone(folder.file("t.wav"), seconds: 1, rate: 16_000)
        let stuck = Injected(errorCode: -EAGAIN, atFrame: 4_096, forever: true)
        let output = try ALSAOutput(
            device: Capture.device(folder.file("t.raw")), format: PCMFormat(sample: .s16, channels: 1, rate: 16_000),
            timeout: .milliseconds(300), faults: stuck.faults)
        let started = ContinuousClock.now
        #expect(throws: ALSAError(kind: .timeout, device: output.device, operation: "write", code: 0)) {
            do {
                _ = try PreparedPlayback(url: source, device: "", opener: Reusing(output)).play()
            } catch PlayoutError.device(let error) {
                throw error
            }
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func unknownBusyAndRefusingDevicesSayWhich() throws {
        let mono = AudioFixture.tone(folder.file("m.wav"), seconds: 0.2, rate: 16_000)
        let stereo = AudioFixture.tone(folder.file("st.wav"), seconds: 0.2, rate: 16_000, channels: 2)
        Capture.environment
        func failure(_ body: () throws -> Void) -> ALSAError? {
            do {
                try body()
                return nil
            } catch PlayoutError.device(let alsa) {
                return alsa
            } catch {
                Issue.record("unexpected \(error)")
                return nil
            }
        }
        let unknown = failure { _ = try PreparedPlayback(url: mono, device: "loa_no_such_device") }
        #expect(unknown?.kind == .open)
        #expect(unknown?.description == "ALSA device 'loa_no_such_device': open: No such file or directory")

        let refused = failure { _ = try PreparedPlayback(url: stereo, device: "loa_mono_only") }
        #expect(refused?.kind == .format)
        #expect(refused?.description == "ALSA device 'loa_mono_only': set format S16_LE 2 ch 16000 Hz: Invalid argument")
        #expect(failure { _ = try PreparedPlayback(url: mono, device: "loa_mono_only").play() } == nil)

        let busy = failure {
            _ = try PreparedPlayback(url: mono, device: "hw:0", opener: FaultyOpener(faults: ALSAFaults(open: -EBUSY)))
        }
        #expect(busy?.description == "ALSA device 'hw:0': open: Device or resource busy")
    }
}

/// Runs closures on their own threads at the same time, as the daemon runs its channels.
enum Concurrently {
    static func results<T>(_ bodies: [() throws -> T]) -> [Result<T, any Error>] {
        let results = Locked([Result<T, any Error>?](repeating: nil, count: bodies.count))
        let group = DispatchGroup()
        for (index, body) in bodies.enumerated() {
            group.enter()
            // Each closure runs on exactly one thread; the box only carries it there.
            let box = Locked(body)
            Thread.detachNewThread {
                let body = box.value
                let result = Result { try body() }
                results.update { $0[index] = result }
                group.leave()
            }
        }
        group.wait()
        return results.value.map { $0! }
    }

    static func run<T>(_ bodies: [() throws -> T]) throws -> [T] {
        try results(bodies).map { try $0.get() }
    }
}
