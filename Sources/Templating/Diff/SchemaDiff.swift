import Foundation

/// What changed between two variable schemas: every difference by JSON Pointer, and the two
/// kinds that break callers (a variable now required, a variable gone).
public struct SchemaDiff: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case added, removed, changed
  }

  public struct Change: Sendable, Equatable {
    public let pointer: String
    public let kind: Kind
    public let before: JSONValue?
    public let after: JSONValue?
  }

  public let changes: [Change]
  /// Top-level variables required by the new schema and not by the old one.
  public let newlyRequired: [String]
  /// Top-level variables the old schema declared and the new one does not.
  public let removedVariables: [String]

  /// A missing schema compares as no schema at all: every member of the other is added or
  /// removed.
  public init(old: JSONValue?, new: JSONValue?) {
    var changes: [Change] = []
    Self.compare(old, new, pointer: "", into: &changes)
    self.changes = changes
    let oldRequired = Set(Self.required(old))
    newlyRequired = Self.required(new).filter { !oldRequired.contains($0) }
    let newProperties = Set(Self.properties(new))
    removedVariables = Self.properties(old).filter { !newProperties.contains($0) }
  }

  /// Objects are compared member by member; any other values (arrays included: `required`,
  /// `enum`) as a whole.
  static func compare(
    _ old: JSONValue?, _ new: JSONValue?, pointer: String, into changes: inout [Change]
  ) {
    switch (old, new) {
    case (nil, nil): return
    case (nil, let added?):
      changes.append(Change(pointer: pointer, kind: .added, before: nil, after: added))
    case (let removed?, nil):
      changes.append(Change(pointer: pointer, kind: .removed, before: removed, after: nil))
    case (.object(let before)?, .object(let after)?):
      for key in before.keys {
        compare(before[key], after[key], pointer: pointer + "/" + escape(key), into: &changes)
      }
      for key in after.keys where before[key] == nil {
        compare(nil, after[key], pointer: pointer + "/" + escape(key), into: &changes)
      }
    case (let before?, let after?):
      if before != after {
        changes.append(Change(pointer: pointer, kind: .changed, before: before, after: after))
      }
    }
  }

  /// RFC 6901: `~` → `~0`, `/` → `~1`.
  static func escape(_ key: String) -> String {
    key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }

  static func required(_ schema: JSONValue?) -> [String] {
    schema?.objectValue?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }

  static func properties(_ schema: JSONValue?) -> [String] {
    schema?.objectValue?["properties"]?.objectValue?.keys ?? []
  }
}
