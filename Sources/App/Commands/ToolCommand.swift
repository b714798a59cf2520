import Foundation

/// Commands that need no database or server: they run before the application is built, so
/// that `promptsmith tokens` does not create a data folder or read secrets.
public enum ToolCommands {
  static func command(named name: String) -> (any ToolCommand.Type)? {
    switch name {
    case "tokens": TokenCountCommand.self
    case "validate": ValidateCommand.self
    case "render": RenderCommand.self
    case "lint": LintCommand.self
    case "templates": TemplatesCommand.self
    default: nil
    }
  }

  /// Whether `name` is a tool command rather than a server command.
  public static func handles(_ name: String?) -> Bool {
    name.flatMap(command(named:)) != nil
  }

  /// Runs the tool named by `arguments[0]` and returns its exit status.
  public static func run(_ arguments: [String], io: ToolIO = .standard) async -> Int32 {
    guard let name = arguments.first, let command = command(named: name) else { return 2 }
    do {
      let parsed = try ToolArguments(Array(arguments.dropFirst()), spec: command.spec)
      if parsed.flags.contains("help") {
        io.out(command.usage + "\n")
        return 0
      }
      return try await command.run(parsed, io: io)
    } catch let error as ToolFailure {
      io.err("promptsmith \(name): \(error.message)\n")
      if error.showUsage { io.err(command.usage + "\n") }
      return error.status
    } catch {
      io.err("promptsmith \(name): \(error)\n")
      return 1
    }
  }
}

/// One tool: its options and its body.
protocol ToolCommand: Sendable {
  /// One line for `promptsmith --help`.
  static var summary: String { get }
  static var spec: ToolArguments.Spec { get }
  static var usage: String { get }
  static func run(_ arguments: ToolArguments, io: ToolIO) async throws -> Int32
}

/// Where a tool reads and writes, replaceable in tests.
public struct ToolIO: Sendable {
  public var out: @Sendable (String) -> Void
  public var err: @Sendable (String) -> Void
  public var readStandardInput: @Sendable () -> Data
  public var readFile: @Sendable (String) throws -> Data
  /// The environment (`PROMPTSMITH_URL`, `PROMPTSMITH_TOKEN`, `RENDER_MAX_*`).
  public var environment: @Sendable () -> [String: String] = {
    ProcessInfo.processInfo.environment
  }

  public static let standard = ToolIO(
    out: { FileHandle.standardOutput.write(Data($0.utf8)) },
    err: { FileHandle.standardError.write(Data($0.utf8)) },
    readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() },
    readFile: { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw ToolFailure("cannot read \(path)")
      }
      return data
    })
}

struct ToolFailure: Error {
  let message: String
  let status: Int32
  let showUsage: Bool

  init(_ message: String, status: Int32 = 1, showUsage: Bool = false) {
    self.message = message
    self.status = status
    self.showUsage = showUsage
  }
}

/// `--name value` options, `--flag` flags and positional arguments.
struct ToolArguments {
  struct Spec {
    var options: Set<String> = []
    var flags: Set<String> = []
  }

  var options: [String: String] = [:]
  var flags: Set<String> = []
  var positional: [String] = []

  init(_ arguments: [String], spec: Spec) throws {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--"), argument.count > 2 else {
        positional.append(argument)
        continue
      }
      var name = String(argument.dropFirst(2))
      var inlineValue: String?
      if let equals = name.firstIndex(of: "=") {
        inlineValue = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      if name == "help" || spec.flags.contains(name) {
        flags.insert(name)
      } else if spec.options.contains(name) {
        if let inlineValue {
          options[name] = inlineValue
        } else {
          guard index < arguments.count else {
            throw ToolFailure("--\(name) needs a value", status: 2, showUsage: true)
          }
          options[name] = arguments[index]
          index += 1
        }
      } else {
        throw ToolFailure("unknown option --\(name)", status: 2, showUsage: true)
      }
    }
  }
}
