/// Text inside XML or HTML markup (DOCX, XLSX, the printable report): everything the operator
/// wrote is text, never markup, so a campaign titled `<script>` shows as text.
enum MarkupText {
    /// XML text: the five entities escaped, and the control characters XML 1.0 cannot hold
    /// dropped (one in a campaign's title would make the whole document unreadable).
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
