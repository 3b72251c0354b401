import Foundation

/// Where loudness measurements are kept between runs: the XDG cache folder.
public enum LoudnessCacheLocation {
    public static var `default`: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? "/tmp") + "/.cache")
        return base + "/loa/loudness.json"
    }
}
