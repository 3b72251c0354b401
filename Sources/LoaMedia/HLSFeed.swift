import CFFmpeg
import Foundation

/// An HLS stream read segment by segment, for a relay that must know which of the source's
/// seconds it holds. It starts at the live edge (the newest segment), hands each segment on once
/// (by media sequence, or program date-time where the playlist has one), survives reconnects
/// without going back (a playlist that stops growing never airs its last segments again), and
/// calls a playlist that brings nothing new for the stall time a stall. A playlist that starts
/// again from a lower sequence (an encoder restarted) is a new stream, joined at its live edge.
///
/// FFmpeg's own HLS demuxer cannot do this: on every reconnect it starts three segments from the
/// end, so a frozen playlist aired its last seconds again and again. This reads the playlists
/// itself and gives FFmpeg only the segments' bytes, through FFmpeg's own HTTP (one set of
/// protocols, deadlines and TLS for every fetch).
public final class HLSFeed: @unchecked Sendable {
    public let url: String
    /// No new segment for this long (or one and a half target durations, if longer) is a stall.
    let stallSeconds: Double
    /// Each fetch gives up after this long without data.
    let readTimeout: Double
    let interrupt: MediaInterrupt

    /// The last segment handed on, kept across sessions: nothing at or before it is handed on again.
    public private(set) var last: HLSSegment?
    /// The media playlist, once a master playlist has been followed.
    private var mediaURL: String?
    private var pending: [HLSSegment] = []
    private var lastReload: Date?
    private var lastChange = Date()
    private var targetDuration = 2.0
    private var ended = false
    /// The discontinuity sequence of the session's segments: a new one ends the session, so the
    /// next decoder starts afresh on the new stream's timestamps and codec.
    private var sessionTimeline: Int?
    private var sessionMap: String?
    private var bytes: [UInt8] = []
    private var offset = 0
    /// Why the last read failed, for the decoder to report.
    var failure: MediaError?

    /// The largest segment fetched (a 10 s segment of 1080p video is some 5 MB).
    static let maximumSegmentBytes = 32 << 20

    public init(url: String, stallSeconds: Double, readTimeout: Double, interrupt: MediaInterrupt) {
        self.url = url
        self.stallSeconds = stallSeconds
        self.readTimeout = readTimeout
        self.interrupt = interrupt
    }

    /// The longest a segment may be (#EXT-X-TARGETDURATION): how long the stream may bring nothing.
    public var segmentSeconds: Double { targetDuration }

    /// Whether the playlist has ended (#EXT-X-ENDLIST): a recording, played from its start.
    public var isEnded: Bool { ended }

    /// Whether the playlist ended and every segment was handed on.
    public var isFinished: Bool { ended && pending.isEmpty && offset == bytes.count }

    /// Starts handing on for a new decoder: from the next segment, its initialisation section first.
    func beginSession() {
        sessionTimeline = nil
        sessionMap = nil
        failure = nil
        lastChange = Date()
    }

    /// FFmpeg's read callback: up to `size` bytes, or AVERROR_EOF at the end of the session (the
    /// stream ended, or a discontinuity), or another error with ``failure`` set.
    func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int) -> Int32 {
        do throws(MediaError) {
            while offset == bytes.count {
                guard let segment = try next() else { return loa_averror_eof() }
                var fetched: [UInt8] = []
                if let map = segment.map, map != sessionMap {
                    fetched = try fetch(map, limit: Self.maximumSegmentBytes)
                    sessionMap = map
                }
                fetched += try fetch(segment.uri, limit: Self.maximumSegmentBytes)
                bytes = fetched
                offset = 0
                last = segment
            }
            let count = min(size, bytes.count - offset)
            bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + offset, count: count) }
            offset += count
            return Int32(count)
        } catch {
            failure = error
            return loa_averror_exit()
        }
    }

    /// The next segment to hand on, waiting for the playlist to bring one; nil when the session ends.
    private func next() throws(MediaError) -> HLSSegment? {
        while true {
            if let first = pending.first {
                if let timeline = sessionTimeline, first.discontinuity != timeline { return nil }
                pending.removeFirst()
                sessionTimeline = first.discontinuity
                return first
            }
            if ended { return nil }
            if let lastReload {
                // RFC 8216 6.3.4: a target duration after a change, half of one after none.
                let wait = lastReload.addingTimeInterval(lastChange >= lastReload ? targetDuration : targetDuration / 2)
                try sleep(until: wait)
            }
            try reload()
            // A playlist of long segments brings one every target duration: only longer is a stall.
            let stall = max(stallSeconds, targetDuration * 1.5)
            if pending.isEmpty, !ended, Date().timeIntervalSince(lastChange) >= stall {
                throw MediaError(kind: .noData, path: url, detail: "the playlist brought no new segment for \(MediaDecoder.seconds(stall)) s")
            }
        }
    }

    private func reload() throws(MediaError) {
        let playlist = try mediaPlaylist()
        lastReload = Date()
        let segments = playlist.segments
        if let encrypted = segments.first(where: { $0.encryption != nil })?.encryption {
            throw MediaError(kind: .unreadable, path: url, detail: "encrypted HLS (\(encrypted)) is not supported")
        }
        targetDuration = max(0.5, playlist.targetDuration)
        ended = playlist.ended
        guard let tail = segments.last else { return }
        let fresh: [HLSSegment]
        if let last {
            let newer = segments.filter { $0.isAfter(last) }
            if !newer.isEmpty {
                fresh = newer
            } else if tail.programDateTime == nil, (tail.discontinuity, tail.sequence) < (last.discontinuity, last.sequence) {
                // It went back: a restarted encoder's new stream, joined at its live edge.
                self.last = nil
                sessionTimeline = nil
                fresh = [tail]
            } else {
                fresh = []
            }
        } else {
            // A live stream from its newest segment; an ended one (a recording) from its start.
            fresh = playlist.ended ? segments : [tail]
        }
        if !fresh.isEmpty {
            pending = fresh
            lastChange = Date()
        }
    }

    /// The media playlist: the URL's own, or the one its master playlist chooses.
    private func mediaPlaylist() throws(MediaError) -> HLSMediaPlaylist {
        for _ in 0..<2 {
            let address = mediaURL ?? url
            let text = try fetch(address, limit: HLSPlaylist.maximumBytes)
            let playlist: HLSPlaylist
            do {
                playlist = try HLSPlaylist.parse(text, base: URL(string: address) ?? URL(fileURLWithPath: "/"))
            } catch {
                throw MediaError(kind: .unreadable, path: address, detail: error.description)
            }
            switch playlist {
            case .media(let media): return media
            case .master(let master):
                guard mediaURL == nil, let choice = master.choice else { break }
                mediaURL = choice
            }
        }
        throw MediaError(kind: .unreadable, path: url, detail: "a master playlist that leads to no media playlist")
    }

    /// Sleeps until `date` in short steps, so a stop is noticed.
    private func sleep(until date: Date) throws(MediaError) {
        while Date() < date {
            if interrupt.isStopped { throw MediaError(kind: .unreadable, path: url, detail: "stopped") }
            Thread.sleep(forTimeInterval: min(0.05, max(0, date.timeIntervalSinceNow)))
        }
    }

    /// The whole body at `address`, through FFmpeg's HTTP with the relay's deadlines.
    private func fetch(_ address: String, limit: Int) throws(MediaError) -> [UInt8] {
        var options: OpaquePointer?
        MediaDecoder.network(&options, timeout: readTimeout)
        var context: UnsafeMutablePointer<AVIOContext>?
        interrupt.arm(seconds: readTimeout * 2)
        defer { interrupt.disarm() }
        let opened = loa_avio_open(&context, address, interrupt.pointer, &options)
        av_dict_free(&options)
        guard opened >= 0, let open = context else { throw MediaDecoder.networkError(opened, path: address, opening: true) }
        defer { avio_closep(&context) }
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            interrupt.arm(seconds: readTimeout)
            let read = avio_read(open, &chunk, Int32(chunk.count))
            if read == loa_averror_eof() || read == 0 { break }
            guard read > 0 else { throw MediaDecoder.networkError(read, path: address, opening: false) }
            body += chunk[0..<Int(read)]
            guard body.count <= limit else { throw MediaError(kind: .unreadable, path: address, detail: "larger than \(limit >> 20) MB") }
        }
        return body
    }
}
