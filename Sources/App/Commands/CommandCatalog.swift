import ConsoleKit
import Vapor

/// Every `promptsmith` command in one list: the application registers its own from here, and
/// help is answered from here before the application is built, so that `--help` is instant and
/// touches no data folder, secret, database or worker.
public enum CommandCatalog {
  /// The commands the application runs besides Vapor's `serve` and `routes` and Fluent's
  /// `migrate`, which Vapor and Fluent register themselves.
  static var applicationCommands: [String: any AnyAsyncCommand] {
    [
      "worker": WorkerCommand(), "keys": KeysCommands(), "user": UserCommands(),
      "company": CompanyCommands(),
    ]
  }

  /// Vapor's and Fluent's commands as their help describes them (their initialisers are not
  /// public), and the tools, which run without the application.
  private static var describedCommands: [String: any AnyAsyncCommand] {
    [
      "serve": DescribedCommand<ServeSignature>(
        help: "Serve the API, the console and MCP over HTTP (and run the worker on SQLite)"),
      "migrate": DescribedCommand<MigrateSignature>(
        help: "Prepare or revert the database migrations"),
      "routes": DescribedCommand<NoOptions>(help: "Display all registered routes"),
      "tokens": ToolHelp(tool: TokenCountCommand.self),
      "render": ToolHelp(tool: RenderCommand.self),
      "lint": ToolHelp(tool: LintCommand.self),
      "validate": ToolHelp(tool: ValidateCommand.self),
      "templates": ToolHelp(tool: TemplatesCommand.self),
    ]
  }

  /// The help `arguments` (without the executable) ask for — `--help`, `-h`, `help [COMMAND]`
  /// or `COMMAND … --help` — and the exit status; nil when they ask for none.
  public static func help(for arguments: [String], executable: String = "promptsmith")
    -> (text: String, status: Int32)?
  {
    let helpFlags: Set = ["--help", "-h"]
    var topic: [String]
    if let first = arguments.first, first == "help" || helpFlags.contains(first) {
      topic = first == "help" ? Array(arguments.dropFirst()) : []
    } else if arguments.contains(where: helpFlags.contains) {
      topic = arguments
    } else {
      return nil
    }
    topic.removeAll { helpFlags.contains($0) || $0.hasPrefix("-") }
    let commands = applicationCommands.merging(describedCommands) { own, _ in own }
    let group = AsyncCommands(commands: commands).group(
      help: "Promptsmith: tracker issues and templates into prompts for AI coding assistants.")
    let console = CapturingConsole()
    var context = CommandContext(
      console: console, input: CommandInput(arguments: [executable] + topic))
    do {
      try group.outputHelp(using: &context)
      return (console.text, 0)
    } catch {
      return ("\(executable): \(error)\n", 2)
    }
  }
}

/// A command listed for its help only.
private struct DescribedCommand<Signature: CommandSignature>: AsyncCommand {
  let help: String

  func run(using context: CommandContext, signature: Signature) async throws {
    throw CommandFailure("this command is run by the application, not by its help")
  }
}

/// A tool in the list, with its own usage text.
private struct ToolHelp: AnyAsyncCommand {
  let tool: any ToolCommand.Type
  var help: String { tool.summary }

  func run(using context: inout CommandContext) async throws {
    throw CommandFailure("tools run before the application is built")
  }

  func outputHelp(using context: inout CommandContext) {
    context.console.print(tool.usage)
  }
}

/// Vapor's `serve` options and ours (`main.swift` takes the worker flags out before Vapor sees
/// them).
private struct ServeSignature: CommandSignature {
  @Option(name: "hostname", short: "H", help: "Host name to listen on (default 127.0.0.1)")
  var hostname: String?
  @Option(name: "port", short: "p", help: "Port to listen on (default: PORT, else 8080)")
  var port: Int?
  @Option(name: "bind", short: "b", help: "HOST:PORT, instead of --hostname and --port")
  var bind: String?
  @Option(name: "unix-socket", help: "Listen on this Unix domain socket instead")
  var socketPath: String?
  @Flag(name: "with-worker", help: "Run the job worker in this process (default on SQLite)")
  var withWorker: Bool
  @Flag(name: "no-worker", help: "Leave jobs to `promptsmith worker` (default on PostgreSQL)")
  var noWorker: Bool
}

private struct MigrateSignature: CommandSignature {
  @Flag(name: "revert", help: "Revert the last batch of migrations")
  var revert: Bool
  @Flag(name: "yes", short: "y", help: "Answer yes to the confirmation (needed without a terminal)")
  var yes: Bool
}

private struct NoOptions: CommandSignature {}

/// A console that keeps what is printed.
private final class CapturingConsole: Console, @unchecked Sendable {
  private(set) var text = ""
  var userInfo: [AnySendableHashable: any Sendable] = [:]
  var size: (width: Int, height: Int) { (100, 40) }

  func input(isSecure: Bool) -> String { "" }
  func output(_ text: ConsoleText, newLine: Bool) {
    self.text += text.description + (newLine ? "\n" : "")
  }
  func clear(_ type: ConsoleClear) {}
  func report(error: String, newLine: Bool) {
    text += error + (newLine ? "\n" : "")
  }
}
