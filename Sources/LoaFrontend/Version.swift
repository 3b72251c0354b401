/// What `loa --version` and `loa-console --version` print: raised with each release.
public enum LoaVersion {
    public static let current = "0.4.0"
}
