import App
import Foundation
import Logging
import NIOCore
import NIOPosix
import Vapor

if ToolCommands.handles(CommandLine.arguments.dropFirst().first) {
  exit(await ToolCommands.run(Array(CommandLine.arguments.dropFirst())))
}
// Help is answered before the application is built: instantly, with no side effects.
if let help = CommandCatalog.help(for: Array(CommandLine.arguments.dropFirst())) {
  let output = help.status == 0 ? FileHandle.standardOutput : FileHandle.standardError
  output.write(Data(help.text.utf8))
  exit(help.status)
}

// `serve --with-worker` / `--no-worker` are ours; Vapor's serve command would refuse them.
var arguments = CommandLine.arguments
var workerInServe: Bool?
if arguments.contains("--with-worker") { workerInServe = true }
if arguments.contains("--no-worker") { workerInServe = false }
arguments.removeAll { $0 == "--with-worker" || $0 == "--no-worker" }
// Vapor's migrate asks for confirmation and crashes when standard input has ended (a script, a
// container without a terminal): ask for --yes instead.
if arguments.dropFirst().first == "migrate", isatty(STDIN_FILENO) == 0,
  !arguments.contains(where: { $0 == "--yes" || $0 == "-y" })
{
  FileHandle.standardError.write(
    Data(
      "promptsmith migrate: standard input is not a terminal, so there is no one to confirm; run `promptsmith migrate --yes`\n"
        .utf8))
  exit(2)
}
var environment = try Environment.detect(arguments: arguments)
// The `.env` files first, as the application would load them: the log level and the number of
// event loops (`EVENT_LOOPS`, by default whether PostgreSQL runs on this machine) are decided
// before the application exists.
for file in [".env.\(environment.name)", ".env"] {
  let fileio = NonBlockingFileIO(threadPool: .singleton)
  try? await DotEnvFile.read(path: file, fileio: fileio).load(overwrite: false)
}
let level = AppConfig.logLevel(named: ProcessInfo.processInfo.environment["LOG_LEVEL"]) ?? .info
// The servers' log lines go out in batches; the other commands' between their own output.
let longRunning = ["serve", "worker"].contains(arguments.dropFirst().first ?? "serve")
LoggingSystem.bootstrap { label in
  JSONLogHandler(
    label: label, level: level,
    sink: longRunning ? JSONLogHandler.batchedStandardOutput : JSONLogHandler.standardOutput)
}
atexit { BatchedLogOutput.standardOutput.flush() }
let bootLogger = Logger(label: "promptsmith")

let eventLoops = EventLoopCount.chosen(
  environment: ProcessInfo.processInfo.environment, cores: System.coreCount)
NIOSingletons.groupLoopCountSuggestion = eventLoops
if longRunning {
  bootLogger.info(
    "Event loops", metadata: ["count": "\(eventLoops)", "cores": "\(System.coreCount)"])
}
// Making the application loads the `.env` files too (nothing new by now).
let app = try await Application.make(environment)
do {
  var config = try AppConfig.load(
    environment: ProcessInfo.processInfo.environment,
    isProduction: environment == .production, warn: { bootLogger.warning("\($0)") })
  config.workerInServe = workerInServe
  // Swift Concurrency's jobs run on the application's NIO event loops instead of a separate
  // thread pool: each database answer and each response was a hop between the two (context
  // switches and wake-ups led the server's profile). At 16 connections on PostgreSQL, generate
  // went from 700 to 997 requests/s (docs/performance.md). On SQLite, where every statement is a
  // hop to the blocking pool and back, the `/health` floor was 8,692 requests/s without it and
  // 15,199 with it, and generate did no better without it. Blocking work (bcrypt, an upload's
  // token count, SQLite) runs on the blocking thread pool; nothing calls `.wait()`.
  let installed =
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
  bootLogger.debug(
    "Swift Concurrency runs on the NIO event loops", metadata: ["installed": "\(installed)"])
  try await configure(app, config: config)
  try await app.execute()
} catch {
  FileHandle.standardError.write(Data("promptsmith: \(error)\n".utf8))
  try? await app.asyncShutdown()
  exit(1)
}
try await app.asyncShutdown()
