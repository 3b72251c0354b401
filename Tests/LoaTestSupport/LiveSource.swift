import Foundation

/// A live source whose audio carries its own time: in second `k` of its life a tone of
/// `base + 100 * (k % 20)` Hz, so a capture tells which second of the source aired when, and
/// whether any aired twice. Two bases 50 Hz apart tell two runs of an encoder apart.
public struct SecondTone: Sendable {
  public var base: Int

  public init(base: Int = 400) { self.base = base }

  /// FFmpeg's lavfi input of it, stereo at 48 kHz, `seconds` long.
  public func input(seconds: Int) -> [String] {
    [
      "-f", "lavfi", "-i",
      "aevalsrc=0.5*sin(2*PI*(\(base)+100*mod(floor(t)\\,20))*t):s=48000:d=\(seconds)", "-ac", "2",
    ]
  }

  /// What one window of a capture holds, by the frequency of its left channel.
  public enum Heard: Equatable, Sendable {
    /// Second `k % 20` of the source of this base.
    case second(base: Int, index: Int)
    /// A steady tone of this frequency (a fallback's).
    case tone(Int)
    case silence
    /// A window across a change of second, or noise.
    case unclear
  }

  /// The frequency of the left channel over `frames` frames from `first`, by its zero crossings.
  public static func frequency(_ samples: [Int16], first: Int, frames: Int, rate: Int = 48_000)
    -> Double
  {
    var crossings = 0
    var loudest = 0
    for frame in first..<(first + frames - 1) {
      let a = samples[frame * 2]
      let b = samples[frame * 2 + 2]
      if (a < 0) != (b < 0) { crossings += 1 }
      loudest = max(loudest, abs(Int(a)))
    }
    return loudest < 500 ? 0 : Double(crossings) / 2 / (Double(frames) / Double(rate))
  }

  /// Reads a capture in windows of `window` seconds: what each holds, given the bases of the
  /// sources that may be in it. A window whose halves differ (across a change) is unclear.
  public static func read(
    _ samples: [Int16], bases: [Int], window: Double = 0.2, rate: Int = 48_000
  ) -> [Heard] {
    let frames = Int(window * Double(rate))
    return stride(from: 0, to: samples.count / 2 - frames, by: frames).map { first in
      let halves = [first, first + frames / 2].map {
        classify(frequency(samples, first: $0, frames: frames / 2, rate: rate), bases: bases)
      }
      return halves[0] == halves[1] ? halves[0] : .unclear
    }
  }

  static func classify(_ frequency: Double, bases: [Int]) -> Heard {
    if frequency == 0 { return .silence }
    for base in bases {
      let step = (frequency - Double(base)) / 100
      let index = Int(step.rounded())
      if (0..<20).contains(index), abs(step - Double(index)) * 100 < 15 {
        return .second(base: base, index: index)
      }
    }
    let rounded = Int((frequency / 100).rounded()) * 100
    return abs(frequency - Double(rounded)) < 15 ? .tone(rounded) : .unclear
  }
}

/// `ffmpeg -re` encoding a ``SecondTone`` into a live HLS playlist (AAC in one-second MPEG-TS
/// segments, the newest six listed, no end) in a folder, as a province's encoder does; it can be
/// killed (the playlist then stops growing, the web server still up) and started again.
public final class LiveHLSEncoder: @unchecked Sendable {
  public let folder: URL
  private var process: Process?
  /// When the running encoder's second 0 began, at the latest (its first segment's arrival less a second).
  public private(set) var started: Date?

  public init(folder: URL) throws {
    self.folder = folder
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  deinit { kill() }

  /// Starts encoding `tone` and returns once the first segment is written.
  public func start(_ tone: SecondTone, seconds: Int = 120) throws {
    let playlist = folder.appendingPathComponent("live.m3u8")
    // A restarted encoder writes over the playlist its last run left.
    func written() -> Date? {
      try? FileManager.default.attributesOfItem(atPath: playlist.path)[.modificationDate] as? Date
    }
    let before = written()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
    process.arguments =
      ["-hide_banner", "-loglevel", "error", "-y", "-re"] + tone.input(seconds: seconds)
      + [
        "-c:a", "aac", "-b:a", "128k", "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
        "-hls_segment_filename", folder.appendingPathComponent("seg-\(tone.base)-%03d.ts").path,
        playlist.path,
      ]
    try process.run()
    self.process = process
    let launched = Date()
    let deadline = launched.addingTimeInterval(15)
    while written() == nil || written() == before, Date() < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
    guard written() != nil, written() != before else {
      throw FFmpegCLI.Failed(description: "the live encoder wrote no playlist")
    }
    started = max(launched, Date().addingTimeInterval(-1))
  }

  /// Kills the encoder outright: its playlist stays as it was, with no end.
  public func kill() {
    guard let process else { return }
    Foundation.kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    self.process = nil
  }
}
