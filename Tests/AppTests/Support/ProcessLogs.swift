import Foundation
import Logging

@testable import App

/// The test process's one `LoggingSystem.bootstrap` (a second call would crash the process):
/// every log line from the first use on, at trace level, through the product's JSON handler.
/// Warnings and errors still reach standard error for the suites' diagnostics. A test that
/// needs the process's logs reads ``lines``; one that needs a logger of its own builds it
/// with a handler factory (see `LoggingTests`) instead of bootstrapping.
enum ProcessLogs {
  static let lines: LoggingTests.Lines = {
    let lines = LoggingTests.Lines()
    LoggingSystem.bootstrap { label in
      JSONLogHandler(
        label: label, level: .trace,
        sink: { line, _ in
          lines.append(line)
          if line.contains(#""level":"warning""#) || line.contains(#""level":"error""#) {
            FileHandle.standardError.write(Data(line.utf8))
          }
        })
    }
    return lines
  }()
}
