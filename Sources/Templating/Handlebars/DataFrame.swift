/// handlebars.js' `@data` frame: `@root`, and `@index`, `@key`, `@first`, `@last` inside `each`.
final class DataFrame {
  let root: Value
  var key = Value.undefined
  var index = Value.undefined
  var first = Value.undefined
  var last = Value.undefined
  /// The frame this one was created from (`@../index`).
  let parent: DataFrame?

  init(root: Value) {
    self.root = root
    self.parent = nil
  }

  /// handlebars.js `createFrame`: a copy whose parent is `other`.
  init(copying other: DataFrame) {
    root = other.root
    key = other.key
    index = other.index
    first = other.first
    last = other.last
    parent = other
  }

  func field(_ name: String) -> Value {
    switch name {
    case "root": return root
    case "key": return key
    case "index": return index
    case "first": return first
    case "last": return last
    default: return .undefined
    }
  }
}
