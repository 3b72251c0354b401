import Foundation
import LoaLog
import LoaTestSupport
import Testing

/// The log on a small tmpfs that fills up: a broadcast that aired is still settled (the reserve
/// gives way), nothing new starts until there is room again, and every error names the file.
@Suite(.serialized) struct LogReserveTests {
    @Test func aFullDiskStillSettlesWhatAiredAndRefusesNewStarts() throws {
        guard let mountPoint = ScratchMount(megabytes: 3) else { return }
        let path = mountPoint.path + "/log.sqlite"
        let log = try BroadcastLog(path: path, reserveBytes: 1024 * 1024)
        #expect(FileManager.default.fileExists(atPath: path + ".reserve"))
        let onAir = try log.started(BroadcastLogTests.record("e1"))
        // Another program fills the disk while e1 is on air.
        mountPoint.fill("fill")

        var refusedStart: LogError?
        do {
            _ = try log.started(BroadcastLogTests.record("e2"))
        } catch {
            refusedStart = error
        }
        try log.finished(id: onAir, outcome: .completed, actualEnd: Date(), playedSeconds: 20)
        #expect(try log.records().first { $0.entryID == "e1" }?.outcome == .completed, "what aired is settled on a full disk")
        // The reserve is spent (or was never touched, if the start above took the last room):
        // either way nothing new may start while the disk is full.
        do {
            _ = try log.started(BroadcastLogTests.record("e3"))
            Issue.record("a start was accepted on a full disk with the reserve spent")
        } catch {
            #expect("\(error)".contains(path), "\(error)")
            if case .full = error {} else if case .database = error {} else { Issue.record("\(error)") }
        }
        _ = refusedStart
        try FileManager.default.removeItem(atPath: mountPoint.path + "/fill")
        let later = try log.started(BroadcastLogTests.record("e4"))
        try log.finished(id: later, outcome: .completed, actualEnd: Date(), playedSeconds: 20)
        #expect(FileManager.default.fileExists(atPath: path + ".reserve"), "the reserve is made again once there is room")
        #expect(try log.verify().isIntact)
    }
}
