import Foundation
import LoaAudio

/// One chunk of interleaved samples in the output's sample format.
final class ChunkBuffer {
    private let sample: SampleFormat
    private let frames: Int
    private let int16: UnsafeMutablePointer<Int16>
    private let int32: UnsafeMutablePointer<Int32>

    init(sample: SampleFormat, frames: Int, channels: Int) {
        self.sample = sample
        self.frames = frames
        int16 = .allocate(capacity: sample == .s16 ? frames * channels : 0)
        int32 = .allocate(capacity: sample == .s32 ? frames * channels : 0)
    }

    deinit {
        int16.deallocate()
        int32.deallocate()
    }

    func fill(from file: AudioFile) throws(AudioFileError) -> Int {
        switch sample {
        case .s16: try file.read(into: int16, frames: frames)
        case .s32: try file.read(into: int32, frames: frames)
        }
    }

    func apply(gain: Double, fade: GainStage.Fade?, firstFrame: Int, frames: Int, channels: Int) {
        switch sample {
        case .s16:
            GainStage.apply(gain: gain, fade: fade, firstFrame: firstFrame,
                to: UnsafeMutableBufferPointer(start: int16, count: frames * channels), channels: channels)
        case .s32:
            GainStage.apply(gain: gain, fade: fade, firstFrame: firstFrame,
                to: UnsafeMutableBufferPointer(start: int32, count: frames * channels), channels: channels)
        }
    }

    /// Whether any of the first `frames` frames is not zero.
    func hasSound(frames: Int, channels: Int) -> Bool {
        switch sample {
        case .s16: UnsafeBufferPointer(start: int16, count: frames * channels).contains { $0 != 0 }
        case .s32: UnsafeBufferPointer(start: int32, count: frames * channels).contains { $0 != 0 }
        }
    }

    func withBytes(frames: Int, channels: Int, _ body: (UnsafeRawBufferPointer) throws(ALSAError) -> Void)
        throws(ALSAError)
    {
        switch sample {
        case .s16: try body(UnsafeRawBufferPointer(start: int16, count: frames * channels * 2))
        case .s32: try body(UnsafeRawBufferPointer(start: int32, count: frames * channels * 4))
        }
    }
}

/// Gain and fade on integer samples. At unity gain with no fade the samples pass untouched, so a
/// WAV reaches the device bit for bit.
public enum GainStage {
    /// A linear fade to silence: frame `start + i` is scaled by `(length - i) / length`; or,
    /// `rising`, from silence: by `i / length` until `start + length`.
    public struct Fade: Sendable, Equatable {
        public var start: Int
        public var length: Int
        public var rising: Bool

        public init(start: Int, length: Int, rising: Bool = false) {
            self.start = start
            self.length = length
            self.rising = rising
        }

        public func envelope(atFrame frame: Int) -> Double {
            if rising { return frame < start ? 0 : min(1, Double(frame - start) / Double(length)) }
            return frame < start ? 1 : Double(max(0, length - (frame - start))) / Double(length)
        }
    }

    /// Scales each sample by `gain` (and the fade's envelope), rounding to nearest and saturating.
    public static func apply<Sample: FixedWidthInteger & SignedInteger>(
        gain: Double, fade: Fade?, firstFrame: Int, to samples: UnsafeMutableBufferPointer<Sample>, channels: Int
    ) {
        if gain == 1, fade == nil { return }
        let low = Double(Sample.min), high = Double(Sample.max)
        for frame in 0..<(samples.count / channels) {
            let factor = gain * (fade?.envelope(atFrame: firstFrame + frame) ?? 1)
            for channel in 0..<channels {
                let index = frame * channels + channel
                samples[index] = Sample(min(high, max(low, (Double(samples[index]) * factor).rounded())))
            }
        }
    }
}
