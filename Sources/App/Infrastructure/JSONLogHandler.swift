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
  private let sink: @Sendable (String) -> Void

  public init(
    label: String, level: Logger.Level = .info,
    sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput
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
    if let provided = metadataProvider?.get() {
      merged.merge(provided) { _, new in new }
    }
    if let extra = event.metadata {
      merged.merge(extra) { _, new in new }
    }
    var line = "{\"timestamp\":\"\(Self.timestamp(Date()))\",\"level\":\"\(event.level.rawValue)\""
    line += ",\"message\":" + JSONValue.quoted("\(event.message)")
    for key in [LogKeys.requestID, LogKeys.userID] {
      if let value = merged.removeValue(forKey: key) {
        line += ",\"\(key)\":" + JSONValue.quoted(value.description)
      }
    }
    line += ",\"label\":" + JSONValue.quoted(label)
    if !merged.isEmpty {
      line += ",\"metadata\":" + Self.render(.dictionary(merged))
    }
    line += "}\n"
    sink(line)
  }

  @Sendable public static func standardOutput(_ line: String) {
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

  private static func render(_ value: Logger.MetadataValue) -> String {
    switch value {
    case .string(let text): JSONValue.quoted(text)
    case .stringConvertible(let convertible): JSONValue.quoted(convertible.description)
    case .array(let items): "[" + items.map(render).joined(separator: ",") + "]"
    case .dictionary(let entries):
      "{"
        + entries.sorted { $0.key < $1.key }
        .map { JSONValue.quoted($0.key) + ":" + render($0.value) }
        .joined(separator: ",") + "}"
    }
  }

  static func timestamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900,
      Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
      Int(parts.tm_sec), milliseconds)
  }
}

/// The metadata keys every request's log lines carry.
public enum LogKeys {
  public static let requestID = "requestId"
  public static let userID = "userId"
}
