import Foundation

/// A label's name: `production`, `staging` or a custom one. `latest` is implicit (always the
/// newest version) and can be named but never set.
enum TemplateLabelName {
  static let latest = "latest"
  static let production = "production"
  static let rule =
    "must match ^[a-z][a-z0-9-]{0,31}$ (a lower-case letter, then up to 31 lower-case letters, digits or hyphens)"

  static func isValid(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, bytes.count <= 32,
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
    else { return false }
    return bytes.dropFirst().allSatisfy {
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
    }
  }

  /// A label that can be set: valid and not `latest`; 422 on `field` otherwise.
  static func settable(_ name: String, field: String) throws -> String {
    guard isValid(name) else { throw AppError.validation(field: field, reason: rule) }
    guard name != latest else {
      throw AppError.validation(
        field: field, reason: "\"latest\" always names the newest version and cannot be set")
    }
    return name
  }
}

/// A version named by its number or by a label (`latest` included), as `diff` and `check` take
/// them.
enum TemplateVersionReference: Sendable, Equatable, CustomStringConvertible {
  case number(Int)
  case label(String)

  /// "3" or "production"; nil when it is neither a version number nor a label name.
  init?(_ text: String) {
    if let number = Int(text), number >= 1, text.allSatisfy(\.isASCII) {
      self = .number(number)
    } else if TemplateLabelName.isValid(text) {
      self = .label(text)
    } else {
      return nil
    }
  }

  var description: String {
    switch self {
    case .number(let number): "version \(number)"
    case .label(let label): "label \"\(label)\""
    }
  }
}
