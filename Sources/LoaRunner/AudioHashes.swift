import Foundation
import LoaPlayout
import Synchronization

/// SHA-256 of each audio file, recorded in the log beside the path: proof of what was aired.
/// Remembered per path, size and modification time so a file is hashed once until it changes.
final class AudioHashes: Sendable {
    static let shared = AudioHashes()

    private let known = Mutex([String: (stamp: String, hash: String)]())

    func hash(of url: URL) -> String? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let stamp = "\(attributes?[.size] ?? 0)/\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        if let cached = known.withLock({ $0[url.path] }), cached.stamp == stamp { return cached.hash }
        guard let hash = try? LoudnessCache.contentHash(of: url) else { return nil }
        known.withLock { $0[url.path] = (stamp, hash) }
        return hash
    }
}
