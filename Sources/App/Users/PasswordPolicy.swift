/// The rules a new password must follow.
enum PasswordPolicy {
  static let minimumLength = 12
  /// Long enough for any passphrase, short enough that hashing it cannot be used to burn CPU.
  static let maximumLength = 1024

  static func violation(of password: String) -> String? {
    if password.count < minimumLength {
      return "must be at least \(minimumLength) characters"
    }
    if password.utf8.count > maximumLength {
      return "must be at most \(maximumLength) bytes"
    }
    return nil
  }
}
