import Foundation
import Logging
import Synchronization
import Testing

@testable import App

@Suite struct LoggingTests {
  final class Lines: Sendable {
    let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
  }

  @Test func eachEventIsOneJSONObjectWithTheRequestContext() throws {
    let lines = Lines()
    var logger = Logger(label: "test") { label in
      JSONLogHandler(label: label, level: .debug, sink: { line, _ in lines.append(line) })
    }
    logger[metadataKey: LogKeys.requestID] = "req-1"
    logger[metadataKey: LogKeys.userID] = "user-7"
    // act
    logger.info("hello \"world\"\n", metadata: ["count": "3", "nested": ["a": "b"]])
    logger.debug("details")
    logger.trace("dropped")
    // check
    #expect(lines.all.count == 2)
    let first = lines.all[0]
    #expect(first.hasSuffix("}\n") && first.filter { $0 == "\n" }.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as! [String: Any]
    #expect(object["level"] as? String == "info")
    #expect(object["message"] as? String == "hello \"world\"\n")
    #expect(object["requestId"] as? String == "req-1")
    #expect(object["userId"] as? String == "user-7")
    let metadata = object["metadata"] as? [String: Any]
    #expect(metadata?["count"] as? String == "3")
    #expect((metadata?["nested"] as? [String: String])?["a"] == "b")
    let timestamp = object["timestamp"] as? String ?? ""
    #expect(timestamp.hasSuffix("Z") && timestamp.count == 24)
  }

  @Test func theLineIsWrittenInAFixedOrderWithSortedMetadata() {
    let lines = Lines()
    var logger = Logger(label: "test") { label in
      JSONLogHandler(label: label, level: .info, sink: { line, _ in lines.append(line) })
    }
    logger[metadataKey: LogKeys.userID] = "user-7"
    logger[metadataKey: "zeta"] = "from the logger"
    logger.info(
      "a/b",
      metadata: [
        "zeta": "from the event", "list": ["x", "y\"z"], "empty": [:], "number": "\(12)",
        "nested": ["b": "2", "a": ["1"]],
      ])
    let line = lines.all.first ?? ""
    let expected: String =
      #"","level":"info","message":"a/b","userId":"user-7","label":"test","metadata":"#
      + #"{"empty":{},"list":["x","y\"z"],"nested":{"a":["1"],"b":"2"},"number":"12","#
      + #""zeta":"from the event"}}"# + "\n"
    // `{"timestamp":"` and the 24 characters of the time.
    #expect(line.hasPrefix("{\"timestamp\":\""))
    #expect(String(line.dropFirst(38)) == expected)
  }

  @Test func timestampsAreUTC() {
    #expect(
      JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0.5)) == "1970-01-01T00:00:00.500Z")
    #expect(
      JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_796_592_437.0679))
        == "2026-12-06T21:27:17.067Z")
  }

  /// The same text as the `String(format:)` it replaced, over dates of four centuries.
  @Test func timestampsAreThoseOfTheFormatString() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      let date = Date(
        timeIntervalSince1970: Double.random(in: 0..<12_000_000_000, using: &generator))
      var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
      let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
      var parts = tm()
      gmtime_r(&seconds, &parts)
      let expected = String(
        format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900,
        Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
        Int(parts.tm_sec), milliseconds)
      #expect(JSONLogHandler.timestamp(date) == expected)
    }
  }
}
