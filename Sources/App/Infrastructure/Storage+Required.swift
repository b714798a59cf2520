import Vapor

extension Storage {
  /// A value `configure(_:config:)` always sets; reaching for it earlier is a programming error.
  func required<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
    guard let value = self[key] else {
      fatalError("\(Key.self) not configured; call configure(_:config:) first")
    }
    return value
  }
}
