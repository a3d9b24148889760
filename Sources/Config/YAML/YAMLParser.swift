import CYAML

/// Composes one YAML document into ``YAMLNode``s from libyaml's events.
///
/// Anchors are resolved (an alias becomes the node its anchor names, as defined last before it), tags are
/// resolved (``YAMLNode/Tag/resolve(plain:)``), and keys repeated in one mapping are refused. Merge keys (`<<`)
/// are not applied: `<<` is an ordinary key tagged ``YAMLNode/Tag/merge``. A stream with more than one document
/// is refused. Bounds keep hostile input cheap: collections nest at most ``nestingLimit`` levels and aliases
/// expand to at most ``aliasExpansionLimit`` nodes in all.
package enum YAMLParser {
    /// How deep collections may nest, counted as newer libyaml releases count it (block indentation levels plus
    /// open flow collections, including those the scanner has already read ahead).
    package static let nestingLimit = 1000
    /// How many nodes all aliases of a document may stand for together.
    package static let aliasExpansionLimit = 100_000

    /// The document in `yaml`, or nil when there is none (empty text, only comments).
    package static func compose(yaml: String) throws(YAMLError) -> YAMLNode? {
        try compose(utf8: Array(yaml.utf8))
    }

    /// The document in the UTF-8 bytes `utf8`, which need not be valid UTF-8 (libyaml reports where it is not).
    package static func compose(utf8: [UInt8]) throws(YAMLError) -> YAMLNode? {
        guard !utf8.isEmpty else {
            return nil
        }
        let result = utf8.withUnsafeBufferPointer { buffer in
            Result { () throws(YAMLError) -> YAMLNode? in
                let composer = try Composer(input: buffer)
                return try composer.singleDocument()
            }
        }
        return try result.get()
    }
}

/// One libyaml parser over a buffer that outlives it, and the anchors defined so far.
private final class Composer {
    /// One libyaml event, copied out of libyaml's memory.
    private enum Event {
        case streamStart
        case streamEnd
        case documentStart(YAMLNode.Mark)
        case documentEnd
        case alias(anchor: String, mark: YAMLNode.Mark)
        case scalar(YAMLNode.Scalar, anchor: String?)
        case sequenceStart(anchor: String?, tag: String?, mark: YAMLNode.Mark)
        case sequenceEnd
        case mappingStart(anchor: String?, tag: String?, mark: YAMLNode.Mark)
        case mappingEnd
    }

    /// A collection being read, with the number of nodes it stands for so far (aliases expanded).
    private enum Frame {
        case sequence(items: [YAMLNode], weight: Int, anchor: String?, tag: YAMLNode.Tag, mark: YAMLNode.Mark)
        case mapping(
            pairs: [(key: YAMLNode, value: YAMLNode)],
            pendingKey: YAMLNode?,
            weight: Int,
            anchor: String?,
            tag: YAMLNode.Tag,
            mark: YAMLNode.Mark
        )
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// Anchor name to the node and the number of nodes it stands for.
    private var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    /// Nodes that the aliases read so far stand for.
    private var expanded = 0

    /// `input` must stay valid for the composer's lifetime.
    init(input: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw .memory
        }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, input.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// The stream's only document, nil for a stream without one.
    func singleDocument() throws(YAMLError) -> YAMLNode? {
        guard case .streamStart = try nextEvent(), case .documentStart = try nextEvent() else {
            return nil
        }
        let root = try node(startingWith: nextEvent())
        _ = try nextEvent()
        if case .documentStart(let mark) = try nextEvent() {
            throw .syntax(
                problem: "but found another document",
                mark: mark,
                context: .init(text: "expected a single document in the stream", mark: .init(line: 1, column: 1))
            )
        }
        return root
    }

    /// Reads one whole node, iteratively (no recursion, whatever the nesting).
    private func node(startingWith first: Event) throws(YAMLError) -> YAMLNode {
        var stack: [Frame] = []
        var event = first
        while true {
            var completed: (node: YAMLNode, weight: Int)?
            switch event {
            case .alias(let anchor, let mark):
                guard let anchored = anchors[anchor] else {
                    throw .syntax(problem: "found undefined alias", mark: mark, context: nil)
                }
                expanded += anchored.weight
                guard expanded <= YAMLParser.aliasExpansionLimit else {
                    throw .aliasExpansion(limit: YAMLParser.aliasExpansionLimit, mark: mark)
                }
                completed = anchored
            case .scalar(let scalar, let anchor):
                completed = (.scalar(scalar), 1)
                register(anchor, completed)
            case .sequenceStart(let anchor, let tag, let mark):
                try checkNesting(depth: stack.count, mark: mark)
                stack.append(.sequence(items: [], weight: 1, anchor: anchor, tag: Self.tag(tag, or: .seq), mark: mark))
            case .mappingStart(let anchor, let tag, let mark):
                try checkNesting(depth: stack.count, mark: mark)
                stack.append(
                    .mapping(
                        pairs: [],
                        pendingKey: nil,
                        weight: 1,
                        anchor: anchor,
                        tag: Self.tag(tag, or: .map),
                        mark: mark
                    )
                )
            case .sequenceEnd, .mappingEnd:
                switch stack.removeLast() {
                case .sequence(let items, let weight, let anchor, let tag, let mark):
                    completed = (.sequence(.init(items, tag: tag, mark: mark)), weight)
                    register(anchor, completed)
                case .mapping(let pairs, _, let weight, let anchor, let tag, let mark):
                    try Self.checkDuplicates(pairs.map(\.key))
                    completed = (.mapping(.init(pairs, tag: tag, mark: mark)), weight)
                    register(anchor, completed)
                }
            case .streamStart, .streamEnd, .documentStart, .documentEnd:
                throw .syntax(
                    problem: "did not find expected node content",
                    mark: .init(line: 1, column: 1),
                    context: nil
                )
            }
            if let completed {
                guard let top = stack.popLast() else {
                    return completed.node
                }
                stack.append(Self.adding(completed, to: top))
            }
            event = try nextEvent()
        }
    }

    /// `frame` with `child` added as its next item, key or value.
    private static func adding(_ child: (node: YAMLNode, weight: Int), to frame: Frame) -> Frame {
        switch frame {
        case .sequence(var items, let weight, let anchor, let tag, let mark):
            items.append(child.node)
            return .sequence(items: items, weight: weight + child.weight, anchor: anchor, tag: tag, mark: mark)
        case .mapping(var pairs, let pendingKey, let weight, let anchor, let tag, let mark):
            var key: YAMLNode? = child.node
            if let pendingKey {
                pairs.append((pendingKey, child.node))
                key = nil
            }
            return .mapping(
                pairs: pairs,
                pendingKey: key,
                weight: weight + child.weight,
                anchor: anchor,
                tag: tag,
                mark: mark
            )
        }
    }

    private func register(_ anchor: String?, _ node: (node: YAMLNode, weight: Int)?) {
        if let anchor, let node {
            anchors[anchor] = node
        }
    }

    /// Refuses a collection opened at `depth` open collections, by libyaml's rule (its `yaml_set_max_nest_level`,
    /// not in every release): the scanner's indentation levels plus its open flow collections must stay under the
    /// limit. The scanner reads ahead, so a deep flow collection is refused near its start.
    private func checkNesting(depth: Int, mark: YAMLNode.Mark) throws(YAMLError) {
        let indents = parser.pointee.indents.start.distance(to: parser.pointee.indents.top)
        let flowLevel = Int(parser.pointee.flow_level)
        guard depth < YAMLParser.nestingLimit, indents < YAMLParser.nestingLimit - flowLevel else {
            throw .nestingTooDeep(limit: YAMLParser.nestingLimit, mark: mark)
        }
    }

    /// Refuses a mapping whose keys repeat (same text and tag, or equal collections).
    private static func checkDuplicates(_ keys: [YAMLNode]) throws(YAMLError) {
        var firstByScalar: [ScalarKey: Int] = [:]
        var repeated: [Int] = []
        for (index, key) in keys.enumerated() {
            if case .scalar(let scalar) = key {
                let scalarKey = ScalarKey(text: scalar.string, tag: scalar.tag)
                if let first = firstByScalar[scalarKey] {
                    repeated.append(first)
                } else {
                    firstByScalar[scalarKey] = index
                }
            } else if let first = keys[..<index].firstIndex(where: { sameKey($0, key) }) {
                repeated.append(first)
            }
        }
        guard !repeated.isEmpty else {
            return
        }
        let firsts = Set(repeated).sorted { (keys[$0].string ?? "", $0) < (keys[$1].string ?? "", $1) }
        let mark = keys[firsts[0]].mark ?? .init(line: 1, column: 1)
        throw .duplicateKeys(firsts.map { keys[$0].string ?? "<unconvertible>" }, mark: mark)
    }

    /// A scalar key's identity: equal texts with equal tags are the same key.
    private struct ScalarKey: Hashable {
        let text: String
        let tag: YAMLNode.Tag
    }

    /// Whether two keys are equal as YAML values (positions aside).
    private static func sameKey(_ lhs: YAMLNode, _ rhs: YAMLNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            return left.string == right.string && left.tag == right.tag
        case (.sequence(let left), .sequence(let right)):
            return left.tag == right.tag && left.count == right.count && zip(left, right).allSatisfy(sameKey)
        case (.mapping(let left), .mapping(let right)):
            return left.tag == right.tag && left.count == right.count
                && zip(left, right).allSatisfy { sameKey($0.key, $1.key) && sameKey($0.value, $1.value) }
        default:
            return false
        }
    }

    /// A collection's tag: the default for none or the non-specific `!`.
    private static func tag(_ name: String?, or implicit: YAMLNode.Tag) -> YAMLNode.Tag {
        guard let name, name != "!" else { return implicit }
        return YAMLNode.Tag(rawValue: name)
    }

    // MARK: libyaml

    private func nextEvent() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw error()
        }
        defer { yaml_event_delete(&event) }
        let mark = YAMLNode.Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let style = Self.style(data.style)
            let tag: YAMLNode.Tag?
            if data.quoted_implicit == 1 {
                tag = .str
            } else if let name = Self.string(data.tag) {
                tag = name == "!" ? .str : YAMLNode.Tag(rawValue: name)
            } else {
                tag = style == .plain ? nil : .str
            }
            return .scalar(.init(value, tag: tag, style: style, mark: mark), anchor: Self.string(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return .sequenceStart(
                anchor: Self.string(data.anchor),
                tag: data.implicit == 0 ? Self.string(data.tag) : nil,
                mark: mark
            )
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return .mappingStart(
                anchor: Self.string(data.anchor),
                tag: data.implicit == 0 ? Self.string(data.tag) : nil,
                mark: mark
            )
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            return .streamEnd
        }
    }

    /// The parser's error as a ``YAMLError``.
    private func error() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return .memory
        case YAML_READER_ERROR:
            return .reader(problem: problem, byteOffset: state.problem_offset)
        default:
            let context = state.context.map {
                YAMLError.Context(text: String(cString: $0), mark: Self.mark(state.context_mark))
            }
            return .syntax(problem: problem, mark: Self.mark(state.problem_mark), context: context)
        }
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLNode.Mark {
        .init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
