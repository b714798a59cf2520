import Foundation

/// Field rules shared by the admin endpoints, `PATCH /me` and the CLI.
enum UserValidation {
  static func email(_ value: String) -> String? {
    let email = User.normalize(email: value)
    let parts = email.split(separator: "@", omittingEmptySubsequences: false)
    guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
      !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
      !email.contains(where: { $0.isWhitespace || $0.isNewline })
    else {
      return "must be an e-mail address"
    }
    return nil
  }

  static func name(_ value: String) -> String? {
    let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { return "must not be empty" }
    if trimmed.count > 200 { return "must be at most 200 characters" }
    return nil
  }

  static func role(_ value: String) -> (Role?, String?) {
    guard let role = Role(rawValue: value) else {
      return (nil, "must be one of admin, lead, developer")
    }
    return (role, nil)
  }
}
