import ArgumentParser
import Foundation
import LoaModel

// Parsers for the values options take, each with its bound and a message that says what to write.

/// `2024-11-25` or `25/11/2024`, within the years a config may name.
public func parseDate(_ text: String) throws -> CivilDate {
    guard let date = CivilDate(parsing: text) else {
        throw ValidationError("'\(text)' is not a date; write YYYY-MM-DD or DD/MM/YYYY")
    }
    guard ConfigLimits.years.contains(date.year) else {
        throw ValidationError("'\(text)' is outside the years \(ConfigLimits.years.lowerBound)-\(ConfigLimits.years.upperBound)")
    }
    return date
}

/// A `--from`/`--to` range of at most as many days as a campaign window may hold, so no command
/// line can ask for unbounded work.
public func checkRange(_ first: CivilDate, _ last: CivilDate) throws {
    if last < first { throw ValidationError("--to (\(last)) is before --from (\(first))") }
    if last.dayNumber - first.dayNumber >= ConfigLimits.windowDays {
        throw ValidationError("--from to --to spans more than \(ConfigLimits.windowDays) days; ask for a shorter range")
    }
}

/// `90s`, `15m`, `1h`, or plain seconds.
public func parseInterval(_ text: String) throws -> Double {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
    let seconds: Double? =
        if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()) { value * scale } else { Double(text) }
    guard let seconds, seconds.isFinite, seconds >= 0 else {
        throw ValidationError("'\(text)' is not a duration; write 90s, 15m or 1h")
    }
    return seconds
}

/// `fm,loa-1`: every id non-empty, none twice.
public func parseChannelList(_ text: String) throws -> [String] {
    let ids = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard !ids.isEmpty, ids.allSatisfy({ !$0.isEmpty }) else {
        throw ValidationError("--channels needs channel ids separated by commas, such as fm,loa-1; '\(text)' has an empty one")
    }
    guard Set(ids).count == ids.count else { throw ValidationError("--channels names a channel twice: '\(text)'") }
    return ids
}
