import Foundation

/// Where loudness measurements are kept between runs: the XDG cache folder.
enum LoudnessCacheLocation {
    static var `default`: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? "/tmp") + "/.cache")
        return base + "/loa/loudness.json"
    }
}
