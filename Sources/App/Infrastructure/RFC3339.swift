import Foundation

/// RFC 3339 date-times as query parameters carry them, with or without fractional seconds.
enum RFC3339 {
  static let reason = "must be an RFC 3339 date-time (2026-01-31T12:00:00Z)"

  static func date(from text: String) -> Date? {
    let plain = ISO8601DateFormatter()
    if let date = plain.date(from: text) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text)
  }
}
