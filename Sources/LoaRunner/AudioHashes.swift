import Foundation
import LoaPlayout
import LoaSystem

/// SHA-256 of each audio file, recorded in the log beside the path: proof of what was aired.
/// Remembered per path, size and modification time so a file is hashed once until it changes.
final class AudioHashes: Sendable {
    static let shared = AudioHashes()

    private let known = StampCache<String>()

    func hash(of url: URL) -> String? {
        known.value(for: url.path) { _ in try? LoudnessCache.contentHash(of: url) }
    }
}
