/// handlebars.js' `@data` frame: `@root`, `@index`, `@key`, `@first`, `@last` inside `each`, and
/// `@partial-block` inside a partial included as a block.
final class DataFrame {
  let root: Value
  var key = Value.undefined
  var index = Value.undefined
  var first = Value.undefined
  var last = Value.undefined
  /// `@partial-block`: the block of the partial block whose partial is rendering.
  var partialBlock: PartialBlockCall?
  /// The frame this one was created from (`@../index`).
  let parent: DataFrame?

  init(root: Value, partialBlock: PartialBlockCall? = nil) {
    self.root = root
    self.partialBlock = partialBlock
    self.parent = nil
  }

  /// handlebars.js `createFrame`: a copy whose parent is `other`.
  init(copying other: DataFrame) {
    root = other.root
    key = other.key
    index = other.index
    first = other.first
    last = other.last
    partialBlock = other.partialBlock
    parent = other
  }

  func field(_ name: String) -> Value {
    switch name {
    case "root": return root
    case "key": return key
    case "index": return index
    case "first": return first
    case "last": return last
    case "partial-block": return partialBlock.map(Value.function) ?? .undefined
    default: return .undefined
    }
  }
}
