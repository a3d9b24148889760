/// A node of a composed YAML document: a scalar, a mapping or a sequence, each with the position it starts at
/// (none for a node built in code, such as a command-line value read with the same checks).
///
/// Aliases are already replaced by the node their anchor names (``YAMLParser``), so a node seen twice carries
/// the position of the anchored node. Scalars keep their text; their ``tagName`` is resolved with the YAML 1.1
/// rules of ``YAMLNode/Tag/resolve(plain:)``.
package indirect enum YAMLNode: Sendable {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(Sequence)

    /// A 1-based line and column (columns count Unicode scalars, as libyaml counts them).
    package struct Mark: Sendable, Hashable, CustomStringConvertible {
        package var line: Int
        package var column: Int

        package init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        package var description: String { "\(line):\(column)" }
    }

    /// How a scalar was written; quoted and block scalars are always strings.
    package enum ScalarStyle: Sendable, Hashable {
        case plain
        case singleQuoted
        case doubleQuoted
        case literal
        case folded
    }

    /// A scalar: its text as written (after unquoting and folding), its resolved tag and its style.
    package struct Scalar: Sendable {
        package var string: String
        package var tag: Tag
        package var style: ScalarStyle
        package var mark: Mark?

        package init(_ string: String, tag: Tag? = nil, style: ScalarStyle = .plain, mark: Mark? = nil) {
            self.string = string
            self.tag = tag ?? (style == .plain ? Tag.resolve(plain: string) : .str)
            self.style = style
            self.mark = mark
        }
    }

    /// A mapping: its key/value pairs in document order.
    package struct Mapping: Sendable, RandomAccessCollection {
        package var pairs: [(key: YAMLNode, value: YAMLNode)]
        package var tag: Tag
        package var mark: Mark?

        package init(_ pairs: [(key: YAMLNode, value: YAMLNode)], tag: Tag = .map, mark: Mark? = nil) {
            self.pairs = pairs
            self.tag = tag
            self.mark = mark
        }

        package var startIndex: Int { pairs.startIndex }
        package var endIndex: Int { pairs.endIndex }
        package subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) { pairs[position] }
    }

    /// A sequence: its items in document order.
    package struct Sequence: Sendable, RandomAccessCollection {
        package var items: [YAMLNode]
        package var tag: Tag
        package var mark: Mark?

        package init(_ items: [YAMLNode], tag: Tag = .seq, mark: Mark? = nil) {
            self.items = items
            self.tag = tag
            self.mark = mark
        }

        package var startIndex: Int { items.startIndex }
        package var endIndex: Int { items.endIndex }
        package subscript(position: Int) -> YAMLNode { items[position] }
    }

    /// A plain scalar without a position, its tag resolved from its text.
    package init(_ string: String) {
        self = .scalar(Scalar(string))
    }

    /// Where the node starts; nil for a node built in code.
    package var mark: Mark? {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(let mapping): mapping.mark
        case .sequence(let sequence): sequence.mark
        }
    }

    /// The resolved tag: for a plain scalar the type its text reads as, ``Tag/str`` for a quoted one.
    package var tagName: Tag {
        switch self {
        case .scalar(let scalar): scalar.tag
        case .mapping(let mapping): mapping.tag
        case .sequence(let sequence): sequence.tag
        }
    }

    /// The scalar, if this node is one.
    package var scalar: Scalar? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar
    }

    /// The mapping, if this node is one.
    package var mapping: Mapping? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping
    }

    /// The sequence, if this node is one.
    package var sequence: Sequence? {
        guard case .sequence(let sequence) = self else { return nil }
        return sequence
    }

    /// A scalar's text, whatever its tag.
    package var string: String? {
        scalar?.string
    }
}
