/// How samples are laid out in the buffers a player writes.
public enum SampleFormat: Sendable, Equatable {
    /// 16-bit little-endian: 16-bit sources and decoded MP3 or Vorbis.
    case s16
    /// 32-bit little-endian: 24-bit, 32-bit and float sources, kept at full precision.
    case s32

    public var bytes: Int { self == .s16 ? 2 : 4 }
    public var name: String { self == .s16 ? "S16_LE" : "S32_LE" }
}

/// What a player asks of a device.
public struct PCMFormat: Sendable, Equatable {
    public var sample: SampleFormat
    public var channels: Int
    public var rate: Int

    public init(sample: SampleFormat, channels: Int, rate: Int) {
        self.sample = sample
        self.channels = channels
        self.rate = rate
    }

    public var frameBytes: Int { sample.bytes * channels }
    public var summary: String { "\(sample.name) \(channels) ch \(rate) Hz" }
}

/// What the device agreed to, reported after opening.
public struct NegotiatedFormat: Sendable, Equatable {
    public var format: PCMFormat
    public var bufferFrames: Int
    public var periodFrames: Int
    /// ALSA's PCM type ("FILE", "PLUG", "HW", "NULL").
    public var pcmType: String

    public var summary: String {
        "\(format.summary), buffer \(bufferFrames) frames, period \(periodFrames) frames, \(pcmType)"
    }
}

/// A device a player writes to. ``ALSAOutput`` is the real one; tests of the runner use fakes
/// that fail on purpose, but every test of the ALSA path goes through ``ALSAOutput``.
public protocol AudioOutput: AnyObject {
    var device: String { get }
    var negotiated: NegotiatedFormat { get }
    /// Underruns and suspends recovered so far.
    var recoveries: Int { get }
    /// Writes every frame of the buffer, waiting (up to the output's timeout) while the device is full.
    func write(_ buffer: UnsafeRawBufferPointer, frames: Int) throws(ALSAError)
    /// Plays out what is queued, then stops.
    func drain() throws(ALSAError)
}

/// Opens outputs; the runner is handed one so tests can substitute failing devices.
public protocol AudioOutputOpener: Sendable {
    func open(device: String, format: PCMFormat) throws(ALSAError) -> any AudioOutput
}
