import App
import Foundation
import Logging
import Vapor

if ToolCommands.handles(CommandLine.arguments.dropFirst().first) {
  exit(ToolCommands.run(Array(CommandLine.arguments.dropFirst())))
}

var environment = try Environment.detect()
let level = AppConfig.logLevel(named: ProcessInfo.processInfo.environment["LOG_LEVEL"]) ?? .info
LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
let bootLogger = Logger(label: "promptsmith")

// Making the application first loads `.env` files into the environment.
let app = try await Application.make(environment)
do {
  let config = try AppConfig.load(
    environment: ProcessInfo.processInfo.environment,
    isProduction: environment == .production, warn: { bootLogger.warning("\($0)") })
  try await configure(app, config: config)
  try await app.execute()
} catch {
  FileHandle.standardError.write(Data("promptsmith: \(error)\n".utf8))
  try? await app.asyncShutdown()
  exit(1)
}
try await app.asyncShutdown()
