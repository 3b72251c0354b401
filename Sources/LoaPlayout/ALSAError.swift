import CALSA

/// An ALSA call that failed: which device, what Loa was doing, and ALSA's own words.
public struct ALSAError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The device name is unknown, or the device cannot be opened (busy, missing).
        case open
        /// The device will not take the sample format, channel count or rate asked for.
        case format
        /// The device disappeared (USB sound card unplugged): `-ENODEV`.
        case gone
        /// The device accepted nothing for longer than the timeout.
        case timeout
        /// Any other failure while writing or draining that recovery could not mend.
        case write
    }

    public var kind: Kind
    public var device: String
    /// What was being done: "open", "set format S16_LE 2 ch 48000 Hz", "write", "drain".
    public var operation: String
    /// The negative errno ALSA returned (0 for a timeout, which ALSA does not report as one).
    public var code: Int32

    public init(kind: Kind, device: String, operation: String, code: Int32) {
        self.kind = kind
        self.device = device
        self.operation = operation
        self.code = code
    }

    /// `snd_strerror`'s text for the code.
    public var message: String {
        kind == .timeout ? "no progress within the timeout" : String(cString: snd_strerror(code))
    }

    public var description: String { "ALSA device '\(device)': \(operation): \(message)" }
}
