import Yams

/// The entries of one YAML mapping by key name, after unknown keys were reported.
public struct Fields {
    /// The key path of the mapping itself ("" for the document root).
    public let path: String
    /// The mapping node, for the location of "missing key" errors.
    public let node: Node?
    /// Key name to key node and value node.
    public let entries: [String: (key: Node, value: Node)]

    /// The key path of a child key.
    public func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The value node of a key, if present.
    public subscript(_ key: String) -> Node? {
        entries[key]?.value
    }

    /// The key node of a key, if present.
    public func keyNode(_ key: String) -> Node? {
        entries[key]?.key
    }
}
