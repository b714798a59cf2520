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
      JSONLogHandler(label: label, level: .debug, sink: { lines.append($0) })
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

  @Test func timestampsAreUTC() {
    #expect(
      JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0.5)) == "1970-01-01T00:00:00.500Z")
  }
}
