import NIOCore

/// Scans content for malware before it is stored.
protocol VirusScanner: Sendable {
  /// The verdict on `bytes`; throws `ScannerUnavailable` when no verdict could be had.
  func scan(_ bytes: ByteBuffer) async throws -> ScanVerdict
}

enum ScanVerdict: Sendable, Equatable {
  case clean
  case infected(signature: String)
}

/// The scanner could not be reached, timed out or failed: no verdict.
struct ScannerUnavailable: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// What an upload's scan came to, as stored and reported (`scanStatus`).
enum ScanStatus: String, Sendable, Codable {
  /// clamd found nothing.
  case clean
  /// No scanner was configured or reachable and scanning is not required.
  case skipped
}
