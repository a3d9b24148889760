import Yams

extension Node {
    /// The resolved tag name (`Tag.name` itself is internal to Yams).
    package var tagName: Tag.Name {
        Tag.Name(rawValue: tag.rawValue)
    }
}
