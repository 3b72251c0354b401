import CALSA
import Foundation
import Logging

/// A playback PCM opened with libasound2. Owns its `snd_pcm_t *` and closes it when released.
///
/// Opened non-blocking so that a busy or stuck device returns instead of hanging: writes wait with
/// `snd_pcm_wait`, and a device that accepts nothing for `timeout` is an error.
public final class ALSAOutput: AudioOutput {
    public let device: String
    public let negotiated: NegotiatedFormat
    public private(set) var recoveries = 0
    private let handle: OpaquePointer
    private let timeout: Duration
    private let faults: ALSAFaults?
    private var framesWritten = 0
    private let logger = Logger(label: "loa.playout.alsa")

    /// Opens `device` and sets the format. The corresponding C functions are `snd_pcm_open` and
    /// `snd_pcm_set_params`; ALSA's plug layer converts where a `plug:` or `plughw:` device is named.
    public convenience init(device: String, format: PCMFormat, timeout: Duration = .seconds(5)) throws(ALSAError) {
        try self.init(device: device, format: format, timeout: timeout, faults: nil)
    }

    /// With `faults`, for the tests (through `@testable import`) of recovery and failure only.
    init(device: String, format: PCMFormat, timeout: Duration = .seconds(5), faults: ALSAFaults?) throws(ALSAError) {
        ALSA.silenceLibraryMessages
        self.device = device
        self.timeout = timeout
        self.faults = faults
        var pcm: OpaquePointer?
        var code = faults?.open ?? snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
        guard code >= 0, let pcm else {
            if let pcm { snd_pcm_close(pcm) }
            throw ALSAError(kind: .open, device: device, operation: "open", code: code)
        }
        code = snd_pcm_set_params(
            pcm, format.sample == .s16 ? SND_PCM_FORMAT_S16_LE : SND_PCM_FORMAT_S32_LE,
            SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(format.channels), UInt32(format.rate), 1, 200_000)
        guard code >= 0 else {
            snd_pcm_close(pcm)
            throw ALSAError(kind: .format, device: device, operation: "set format \(format.summary)", code: code)
        }
        handle = pcm
        negotiated = Self.current(pcm, asked: format)
    }

    deinit { snd_pcm_close(handle) }

    public func write(_ buffer: UnsafeRawBufferPointer, frames: Int) throws(ALSAError) {
        let frameBytes = negotiated.format.frameBytes
        var offset = 0
        var lastProgress = ContinuousClock.now
        while offset < frames {
            let pointer = buffer.baseAddress! + offset * frameBytes
            let result = faults?.write(framesWritten) ?? snd_pcm_writei(handle, pointer, snd_pcm_uframes_t(frames - offset))
            if result >= 0 {
                offset += result
                framesWritten += result
                if result > 0 { lastProgress = .now }
                continue
            }
            let code = Int32(result)
            switch code {
            case -EAGAIN:
                if ContinuousClock.now - lastProgress > timeout {
                    throw ALSAError(kind: .timeout, device: device, operation: "write", code: 0)
                }
                let waitMilliseconds = Int32(max(1, min(100, timeout.components.seconds * 1000)))
                _ = snd_pcm_wait(handle, waitMilliseconds)
            case -EPIPE, -ESTRPIPE, -EINTR:
                recoveries += 1
                logger.warning(
                    "recovering from \(String(cString: snd_strerror(code)))",
                    metadata: ["device": "\(device)", "recoveries": "\(recoveries)"])
                let recovered = snd_pcm_recover(handle, code, 1)
                if recovered < 0 {
                    throw ALSAError(kind: Self.kind(of: recovered), device: device, operation: "recover", code: recovered)
                }
            default:
                throw ALSAError(kind: Self.kind(of: code), device: device, operation: "write", code: code)
            }
        }
    }

    /// The corresponding C function is `snd_pcm_drain`, in blocking mode.
    public func drain() throws(ALSAError) {
        snd_pcm_nonblock(handle, 0)
        let code = snd_pcm_drain(handle)
        if code < 0 { throw ALSAError(kind: Self.kind(of: code), device: device, operation: "drain", code: code) }
    }

    private static func kind(of code: Int32) -> ALSAError.Kind { code == -ENODEV ? .gone : .write }

    private static func current(_ pcm: OpaquePointer, asked: PCMFormat) -> NegotiatedFormat {
        var params: OpaquePointer?
        snd_pcm_hw_params_malloc(&params)
        defer { snd_pcm_hw_params_free(params) }
        snd_pcm_hw_params_current(pcm, params)
        var rate: UInt32 = 0, channels: UInt32 = 0
        var buffer: snd_pcm_uframes_t = 0, period: snd_pcm_uframes_t = 0
        var direction: Int32 = 0
        snd_pcm_hw_params_get_rate(params, &rate, &direction)
        snd_pcm_hw_params_get_channels(params, &channels)
        snd_pcm_hw_params_get_buffer_size(params, &buffer)
        snd_pcm_hw_params_get_period_size(params, &period, &direction)
        return NegotiatedFormat(
            format: PCMFormat(sample: asked.sample, channels: Int(channels), rate: Int(rate)),
            bufferFrames: Int(buffer), periodFrames: Int(period),
            pcmType: String(cString: snd_pcm_type_name(snd_pcm_type(pcm))))
    }
}

/// Errors to return instead of calling ALSA, for tests of recovery and failure: a null or file
/// PCM never underruns, disappears or stalls by itself. Internal: only the tests reach it.
struct ALSAFaults: Sendable {
    /// Returned by the open instead of calling `snd_pcm_open` (e.g. `-EBUSY`).
    var open: Int32?
    /// Called before each `snd_pcm_writei` with the frames written so far; a non-nil result is
    /// returned as if `snd_pcm_writei` had returned it.
    var write: @Sendable (Int) -> Int?

    init(open: Int32? = nil, write: @escaping @Sendable (Int) -> Int? = { _ in nil }) {
        self.open = open
        self.write = write
    }
}

/// Opens real ALSA outputs.
public struct ALSAOutputOpener: AudioOutputOpener {
    public var timeout: Duration

    public init(timeout: Duration = .seconds(5)) { self.timeout = timeout }

    public func open(device: String, format: PCMFormat) throws(ALSAError) -> any AudioOutput {
        try ALSAOutput(device: device, format: format, timeout: timeout)
    }
}

public enum ALSA {
    /// Installs the silent error handler once, before the first ALSA call.
    public static let silenceLibraryMessages: Void = loa_alsa_silence()
}
