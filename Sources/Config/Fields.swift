import Yams

/// The entries of one YAML mapping by key name, after unknown keys were reported.
package struct Fields {
    /// The key path of the mapping itself ("" for the document root).
    package let path: String
    /// The mapping node, for the location of "missing key" errors.
    package let node: Node?
    /// Key name to key node and value node.
    package let entries: [String: (key: Node, value: Node)]

    /// The key path of a child key.
    package func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The value node of a key, if present.
    package subscript(_ key: String) -> Node? {
        entries[key]?.value
    }

    /// The key node of a key, if present.
    package func keyNode(_ key: String) -> Node? {
        entries[key]?.key
    }
}
