import App
import Foundation
import Logging
import Vapor

var environment = try Environment.detect()
let isProduction = environment == .production
let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? .info
LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
let bootLogger = Logger(label: "promptsmith")

let config: AppConfig
do {
  config = try AppConfig.load(
    environment: ProcessInfo.processInfo.environment, isProduction: isProduction,
    warn: { bootLogger.warning("\($0)") })
} catch {
  FileHandle.standardError.write(Data("promptsmith: \(error)\n".utf8))
  exit(1)
}

let app = try await Application.make(environment)
do {
  try await configure(app, config: config)
  try await app.execute()
} catch {
  FileHandle.standardError.write(Data("promptsmith: \(error)\n".utf8))
  try? await app.asyncShutdown()
  exit(1)
}
try await app.asyncShutdown()
