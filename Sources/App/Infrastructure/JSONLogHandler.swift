import Foundation
import JSONCore
import Logging

/// Writes one JSON object per line: `timestamp` (UTC ISO-8601), `level`, `message`,
/// `requestId`, `userId`, `label` and the remaining `metadata`.
public struct JSONLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private let sink: @Sendable (_ line: String, _ level: Logger.Level) -> Void

  public init(
    label: String, level: Logger.Level = .info,
    sink: @escaping @Sendable (_ line: String, _ level: Logger.Level) -> Void =
      JSONLogHandler.standardOutput
  ) {
    self.label = label
    self.logLevel = level
    self.sink = sink
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get(), !provided.isEmpty {
      merged.merge(provided) { _, new in new }
    }
    if let extra = event.metadata, !extra.isEmpty {
      if merged.isEmpty { merged = extra } else { merged.merge(extra) { _, new in new } }
    }
    // One string, grown once, each value appended in place: built of concatenated pieces and
    // arrays it was 2 % of generate's event-loop samples (perf, 2026-12-07).
    var line = "{\"timestamp\":\""
    line.reserveCapacity(320)
    line += Self.timestamp(Date())
    line += "\",\"level\":\""
    line += event.level.rawValue
    line += "\",\"message\":"
    JSONValue.writeQuoted("\(event.message)", into: &line)
    for key in [LogKeys.requestID, LogKeys.userID] {
      if let value = merged.removeValue(forKey: key) {
        line += ",\""
        line += key
        line += "\":"
        JSONValue.writeQuoted(value.description, into: &line)
      }
    }
    line += ",\"label\":"
    JSONValue.writeQuoted(label, into: &line)
    if !merged.isEmpty {
      line += ",\"metadata\":"
      Self.render(.dictionary(merged), into: &line)
    }
    line += "}\n"
    sink(line, event.level)
  }

  /// Standard output in batches (`BatchedLogOutput`), a line at `warning` or above at once:
  /// for the long-running commands (`serve`, `worker`).
  @Sendable public static func batchedStandardOutput(_ line: String, level: Logger.Level) {
    BatchedLogOutput.standardOutput.write(line, now: level >= .warning)
  }

  /// Standard output, each line as it is logged: for the short commands, whose own output
  /// goes to standard output between their log lines.
  @Sendable public static func standardOutput(_ line: String, level: Logger.Level) {
    var bytes = Array(line.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
  }

  private static func render(_ value: Logger.MetadataValue, into line: inout String) {
    switch value {
    case .string(let text): JSONValue.writeQuoted(text, into: &line)
    case .stringConvertible(let convertible):
      JSONValue.writeQuoted(convertible.description, into: &line)
    case .array(let items):
      line += "["
      for (index, item) in items.enumerated() {
        if index > 0 { line += "," }
        render(item, into: &line)
      }
      line += "]"
    case .dictionary(let entries):
      line += "{"
      for (index, key) in entries.keys.sorted().enumerated() {
        if index > 0 { line += "," }
        JSONValue.writeQuoted(key, into: &line)
        line += ":"
        render(entries[key]!, into: &line)
      }
      line += "}"
    }
  }

  /// `2026-12-06T21:27:17.667Z`, milliseconds truncated. Written digit by digit: through
  /// `String(format:)` it was 1 % of generate's event-loop samples (perf, 2026-12-06).
  static func timestamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let fields: [(value: Int, digits: Int, then: UInt8)] = [
      (Int(parts.tm_year) + 1900, 4, UInt8(ascii: "-")),
      (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")),
      (Int(parts.tm_mday), 2, UInt8(ascii: "T")), (Int(parts.tm_hour), 2, UInt8(ascii: ":")),
      (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
      (milliseconds, 3, UInt8(ascii: "Z")),
    ]
    return String(unsafeUninitializedCapacity: 24) { text in
      var end = 0
      for field in fields {
        var value = field.value
        for position in stride(from: end + field.digits - 1, through: end, by: -1) {
          text[position] = UInt8(ascii: "0") + UInt8(value % 10)
          value /= 10
        }
        text[end + field.digits] = field.then
        end += field.digits + 1
      }
      return end
    }
  }
}

/// The metadata keys every request's log lines carry.
public enum LogKeys {
  public static let requestID = "requestId"
  public static let userID = "userId"
}
