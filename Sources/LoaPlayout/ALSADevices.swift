import CALSA

/// A sound card or PCM name ALSA knows, as `aplay -l` and `aplay -L` list them.
public struct ALSADevice: Sendable, Equatable {
    public var name: String
    public var description: String
}

public enum ALSADevices {
    /// Cards the kernel has (none on a machine without sound hardware).
    /// The corresponding C functions are `snd_card_next` and `snd_card_get_longname`.
    public static func cards() -> [ALSADevice] {
        ALSA.silenceLibraryMessages
        var cards: [ALSADevice] = []
        var card: Int32 = -1
        while snd_card_next(&card) == 0, card >= 0 {
            var name: UnsafeMutablePointer<CChar>?
            var long: UnsafeMutablePointer<CChar>?
            snd_card_get_name(card, &name)
            snd_card_get_longname(card, &long)
            cards.append(ALSADevice(
                name: "hw:\(card) (\(name.map { String(cString: $0) } ?? "?"))",
                description: long.map { String(cString: $0) } ?? ""))
            free(name)
            free(long)
        }
        return cards
    }

    /// Playback PCM names with their descriptions. The corresponding C function is `snd_device_name_hint`.
    public static func playbackPCMs() -> [ALSADevice] {
        ALSA.silenceLibraryMessages
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var devices: [ALSADevice] = []
        var index = 0
        while let hint = hints[index] {
            index += 1
            func value(_ key: String) -> String? {
                guard let raw = snd_device_name_get_hint(hint, key) else { return nil }
                defer { free(raw) }
                return String(cString: raw)
            }
            if value("IOID") == "Input" { continue }
            guard let name = value("NAME") else { continue }
            let description = (value("DESC") ?? "").split(separator: "\n").joined(separator: " - ")
            devices.append(ALSADevice(name: name, description: description))
        }
        return devices
    }
}
