/// The entries of one YAML mapping by key name, after unknown keys were reported.
struct Fields {
    /// The key path of the mapping itself ("" for the document root).
    let path: String
    /// The mapping node, for the location of "missing key" errors.
    let node: YAMLNode?
    /// Key name to key node and value node.
    let entries: [String: (key: YAMLNode, value: YAMLNode)]

    /// The key path of a child key.
    func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The value node of a key, if present.
    subscript(_ key: String) -> YAMLNode? {
        entries[key]?.value
    }

    /// The key node of a key, if present.
    func keyNode(_ key: String) -> YAMLNode? {
        entries[key]?.key
    }
}
