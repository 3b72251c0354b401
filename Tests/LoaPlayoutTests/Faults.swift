import Foundation
@testable import LoaPlayout

/// An error returned once (or from then on) when the written frames reach a point, counting how
/// often it fired.
final class Injected: Sendable {
    private let state = Locked((fired: 0, done: false))
    let faults: ALSAFaults

    init(errorCode: Int32, atFrame frame: Int, forever: Bool = false) {
        let state = self.state
        faults = ALSAFaults(write: { written in
            state.update { state in
                guard written >= frame, forever || !state.done else { return nil }
                state.fired += 1
                state.done = true
                return Int(errorCode)
            }
        })
    }

    var fired: Int { state.value.fired }
}

/// Hands a player an output the test opened itself (with its faults).
struct Reusing: AudioOutputOpener, @unchecked Sendable {
    let output: ALSAOutput
    init(_ output: ALSAOutput) { self.output = output }
    func open(device: String, format: PCMFormat) throws(ALSAError) -> any AudioOutput { output }
}

/// Opens real ALSA outputs with faults injected.
struct FaultyOpener: AudioOutputOpener {
    let faults: ALSAFaults
    func open(device: String, format: PCMFormat) throws(ALSAError) -> any AudioOutput {
        try ALSAOutput(device: device, format: format, faults: faults)
    }
}

/// A value shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    @discardableResult
    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&stored) } }
}
