import Foundation
import LoaAudio
import LoaControl
import LoaImport
import LoaLog
import LoaModel
import LoaRelay
import LoaSystem
import Logging
import Synchronization

/// The daemon's end of live broadcasts (nói trực tiếp): takes each connection on the live
/// socket, one broadcast at a time per channel, records it in the audio library as it arrives,
/// hands it to the chosen channels' inboxes, and tells the console how it goes. A connection
/// that sends garbage, floods, or goes quiet ends its own broadcast only.
final class LiveDesk: Sendable {
    private let listener: LiveListener
    private let station: @Sendable () -> Station?
    private let deliver: @Sendable (String, LivePlay) -> Void
    private let health: DaemonHealth?
    private let stopped = Atomic(false)
    /// Channel id to the broadcast on it (its id and speaker).
    private let busy = Mutex([String: (id: String, speaker: String)]())
    private let logger = Logger(label: "loa.live")

    /// How long a connection has to say what it wants.
    static let startTimeout = 5.0
    /// Malformed messages a connection may send before it is dropped.
    static let malformedLimit = 50

    init(
        listener: LiveListener, station: @escaping @Sendable () -> Station?, health: DaemonHealth?,
        deliver: @escaping @Sendable (String, LivePlay) -> Void
    ) {
        self.listener = listener
        self.station = station
        self.health = health
        self.deliver = deliver
    }

    /// Accepts connections on a thread of its own, waiting in accept (an idle daemon never
    /// wakes for it), until ``stop()``; each is served on its own thread.
    func start() {
        Thread.detachNewThread { [self] in
            Thread.current.name = "loa-live"
            while true {
                guard let link = listener.accept() else {
                    if stopped.load(ordering: .relaxed) { return }
                    // A failed accept (out of descriptors): try again shortly.
                    Thread.sleep(forTimeInterval: 0.1)
                    continue
                }
                Thread.detachNewThread { [self] in
                    Thread.current.name = "loa-live-session"
                    serve(link)
                }
            }
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        listener.close()
    }

    private func serve(_ link: LiveLink) {
        defer { link.close() }
        guard case .frame(.start(let json)) = link.receive(timeout: Self.startTimeout) else {
            link.send(LiveStatus(state: .refused, message: "Không nhận được yêu cầu phát.").frame)
            return
        }
        let start: LiveStart
        switch LiveStart.decode(json) {
        case .success(let decoded): start = decoded
        case .failure(let malformed):
            logger.error("live broadcast refused: \(malformed.reason)")
            link.send(LiveStatus(state: .refused, message: "Yêu cầu không hợp lệ.").frame)
            return
        }
        guard let station = station() else {
            link.send(LiveStatus(state: .refused, message: "Máy phát chưa có cấu hình đài chạy được.").frame)
            return
        }
        let known = station.channels.map(\.id)
        let channels = start.channels.map { $0.filter(known.contains) } ?? known
        guard !channels.isEmpty else {
            link.send(LiveStatus(state: .refused, message: "Không có kênh nào trong số kênh đã chọn.").frame)
            return
        }
        // One live broadcast at a time per channel: the second speaker is told who is on air.
        let taken = busy.withLock { busy -> String? in
            if let other = channels.first(where: { busy[$0] != nil }).flatMap({ busy[$0] }) { return other.speaker }
            for channel in channels { busy[channel] = (start.id, start.speaker) }
            return nil
        }
        if let speaker = taken {
            link.send(LiveStatus(state: .refused, message: "\(speaker) đang nói trực tiếp.", speaker: speaker).frame)
            return
        }
        defer {
            busy.withLock { busy in for channel in channels where busy[channel]?.id == start.id { busy[channel] = nil } }
        }
        broadcast(start, channels: channels, station: station, over: link)
    }

    /// From the start to the end: frames into the ring and the recording, the channels told.
    private func broadcast(_ start: LiveStart, channels: [String], station: Station, over link: LiveLink) {
        let requested = Date()
        let time = StationTime(zone: station.timeZone)
        let wall = time.wallTime(of: requested)
        let stem = "truc-tiep-\(wall.date)-\(TimeOfDay(seconds: Int(wall.seconds)).withSeconds.replacingOccurrences(of: ":", with: "-"))"
        let url = station.audioLibrary.appendingPathComponent(LibraryName.unused(stem + ".flac", in: station.audioLibrary))
        var recording: Recording?
        do {
            try FileManager.default.createDirectory(at: station.audioLibrary, withIntermediateDirectories: true)
            recording = try Recording(url, rate: LiveFrame.rate)
        } catch {
            // The commune is heard all the same: an emergency outranks its recording.
            logger.error("live broadcast \(start.id) is not recorded: \(error)")
        }
        let broadcast = LiveBroadcast(id: start.id)
        logger.notice(
            "live broadcast \(start.id) by \(start.account) (\(start.speaker)), \(start.level.rawValue), on \(channels.joined(separator: ", "))")
        for channel in channels {
            deliver(channel, LivePlay(broadcast: broadcast, start: start, recording: recording?.url ?? url, requested: requested))
        }
        link.send(LiveStatus(state: .waiting, channels: []).frame)

        var lastAudio = Date(), malformed = 0, announced: Set<String> = []
        var ending: LiveBroadcast.Ending?
        while ending == nil {
            switch link.receive(timeout: 0.1) {
            case .frame(.audio(_, let captured, let samples)):
                lastAudio = Date()
                if recording?.append(samples) == false {
                    logger.error("live broadcast \(start.id): the recording stopped (disk full?); the broadcast goes on")
                    recording = nil
                }
                broadcast.push(samples, captured: captured)
            case .frame(.end): ending = .ended
            case .frame(.start): malformed += 1
            case .malformed(let reason):
                malformed += 1
                if malformed == 1 { logger.warning("live broadcast \(start.id): \(reason)") }
            case .closed: ending = .dropped("the connection dropped")
            case .nothing: break
            }
            if ending != nil { break }
            if malformed > Self.malformedLimit { ending = .dropped("\(malformed) malformed messages") }
            if Date().timeIntervalSince(lastAudio) > LiveBroadcast.silenceLimit {
                ending = .dropped("nothing came for \(Int(LiveBroadcast.silenceLimit)) s")
            }
            if Date().timeIntervalSince(requested) > LiveBroadcast.timeLimit { ending = .timeLimit }
            let onAir = broadcast.onAir
            if onAir != announced {
                announced = onAir
                link.send(LiveStatus(state: onAir.isEmpty ? .waiting : .onAir, channels: onAir.sorted()).frame)
                health?.live(onAir.isEmpty ? nil : DaemonState.Live(speaker: start.speaker, channels: start.channels, level: start.level, since: requested))
            }
        }
        let seconds = recording?.seconds
        let recorded = recording?.finish() == true
        if recording != nil, !recorded { logger.error("live broadcast \(start.id): the recording could not be closed") }
        broadcast.end(ending ?? .ended)
        // The channels air what they hold and fade out: a second at most.
        let deadline = Date().addingTimeInterval(2)
        while !broadcast.onAir.isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        health?.live(nil)
        logger.notice("live broadcast \(start.id) ended: \(ending.map { "\($0)" } ?? "")")
        let delay = broadcast.delay
        link.send(
            LiveStatus(
                state: .ended, message: Self.vietnamese(ending ?? .ended), seconds: seconds, recording: recorded ? url.lastPathComponent : nil,
                delayP50: delay?.p50, delayP95: delay?.p95
            ).frame)
    }

    static func vietnamese(_ ending: LiveBroadcast.Ending) -> String {
        switch ending {
        case .ended: "Đã kết thúc."
        case .dropped: "Mất kết nối (quá \(Int(LiveBroadcast.silenceLimit)) giây không nhận được tiếng): đã tắt loa."
        case .timeLimit: "Đã đủ \(Int(LiveBroadcast.timeLimit / 60)) phút, thời lượng tối đa của một lần nói trực tiếp."
        }
    }
}
