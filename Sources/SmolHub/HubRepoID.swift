/// A model repository on the Hugging Face Hub, `ORG/NAME`.
public struct HubRepoID: Hashable, Sendable, CustomStringConvertible {
    /// The namespace (user or organisation).
    public let organization: String
    public let name: String

    /// Checks `ORG/NAME` as the Hub does: letters, digits, `-`, `_` and `.`,
    /// neither part starting or ending with `-` or `.`, no `--` or `..`, at most 96 characters.
    public init(_ string: String) throws(HubError) {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, string.count <= 96, parts.allSatisfy(Self.isValidPart),
              !string.contains("--"), !string.contains("..")
        else { throw HubError.invalidRepoID(string) }
        organization = String(parts[0])
        name = String(parts[1])
    }

    public var description: String { "\(organization)/\(name)" }

    /// The repository's folder in the cache: `models--ORG--NAME`.
    public var cacheFolderName: String { "models--\(organization)--\(name)" }

    private static func isValidPart(_ part: Substring) -> Bool {
        guard let first = part.first, let last = part.last else { return false }
        let allowed = part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        return allowed && !"-.".contains(first) && !"-.".contains(last)
    }
}
