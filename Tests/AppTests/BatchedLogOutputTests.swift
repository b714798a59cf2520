import Foundation
import Testing

@testable import App

@Suite struct BatchedLogOutputTests {
  /// A pipe whose read end does not block: what the output wrote so far.
  final class Pipe: Sendable {
    let read: Int32
    let write: Int32

    init() throws {
      var ends: [Int32] = [0, 0]
      guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
      (read, write) = (ends[0], ends[1])
      _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
    }

    func available() -> String {
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = Foundation.read(read, &chunk, chunk.count)
        guard count > 0 else { break }
        bytes += chunk[..<count]
      }
      return String(decoding: bytes, as: UTF8.self)
    }

    /// What arrives until `expected` bytes did or five seconds passed.
    func collect(bytes expected: Int) async throws -> String {
      var text = ""
      for _ in 0..<500 where text.utf8.count < expected {
        text += available()
        try await Task.sleep(for: .milliseconds(10))
      }
      return text
    }

    deinit {
      close(read)
      close(write)
    }
  }

  @Test func queuedLinesGoOutTogetherAfterTheDelayInTheirOrder() async throws {
    let pipe = try Pipe()
    let output = BatchedLogOutput(descriptor: pipe.write, delay: .milliseconds(200))
    // act
    for number in 1...3 { output.write("line \(number)\n") }
    // check
    #expect(pipe.available() == "", "written before the delay")
    let text = try await pipe.collect(bytes: 21)
    #expect(text == "line 1\nline 2\nline 3\n")
  }

  @Test func aLineWrittenNowGoesOutAtOnceAfterThoseBeforeIt() throws {
    let pipe = try Pipe()
    let output = BatchedLogOutput(descriptor: pipe.write, delay: .seconds(60))
    // act
    output.write("queued\n")
    output.write("warning\n", now: true)
    // check: no waiting
    #expect(pipe.available() == "queued\nwarning\n")
  }

  @Test func linesFromManyThreadsAllArriveWholeAndOnce() async throws {
    let pipe = try Pipe()
    let output = BatchedLogOutput(descriptor: pipe.write, delay: .milliseconds(5))
    let line = String(repeating: "x", count: 100)
    // act: more than a batch's bytes, from eight tasks at once
    await withTaskGroup(of: Void.self) { group in
      for task in 0..<8 {
        group.addTask {
          for number in 0..<200 { output.write("\(task) \(number) \(line)\n") }
        }
      }
    }
    // check
    let expectedLines = Set((0..<8).flatMap { task in (0..<200).map { "\(task) \($0) \(line)" } })
    let expectedBytes = expectedLines.reduce(0) { $0 + $1.utf8.count + 1 }
    #expect(expectedBytes > BatchedLogOutput.batchBytes)
    let text = try await pipe.collect(bytes: expectedBytes)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.count == expectedLines.count)
    #expect(Set(lines) == expectedLines)
    // Each task's lines keep their order.
    for task in 0..<8 {
      let numbers = lines.filter { $0.hasPrefix("\(task) ") }.map { $0.split(separator: " ")[1] }
      #expect(numbers == (0..<200).map { Substring(String($0)) })
    }
  }
}
