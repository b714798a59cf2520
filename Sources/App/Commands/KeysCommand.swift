import ConsoleKit
import Fluent
import Foundation
import Vapor

/// `promptsmith keys rotate`: re-seals every stored credential (trackers' credentials, webhook
/// signing secrets) under the current `ENCRYPTION_KEY`, bound to its row (envelope v2), opening
/// old envelopes with `ENCRYPTION_KEY_PREVIOUS`.
struct KeysRotateCommand: AsyncCommand {
  struct Signature: CommandSignature {}

  var help: String { "Re-encrypt stored tracker credentials under the current ENCRYPTION_KEY" }

  func run(using context: CommandContext, signature: Signature) async throws {
    let app = context.application
    try await Migrate.run(app)
    let rotated = try await Self.rotate(
      database: app.db, cipher: TrackerSyncJob.service(app: app, logger: app.logger).cipher)
    context.console.print("re-encrypted \(rotated) credential(s)")
  }

  /// Re-seals what an older key sealed, tracker by tracker and subscription by subscription,
  /// each in its own transaction.
  static func rotate(database: any Database, cipher: CredentialCipher) async throws -> Int {
    var count = 0
    for tracker in try await Tracker.query(on: database).all() {
      var changed = false
      let id = try tracker.requireID()
      if let sealed = tracker.authJSON, cipher.needsRotation(sealed) {
        tracker.authJSON = try cipher.seal(
          try cipher.open(sealed, for: .auth(of: id)), for: .auth(of: id))
        changed = true
        count += 1
      }
      if let sealed = tracker.webhookSecret, cipher.needsRotation(sealed) {
        tracker.webhookSecret = try cipher.seal(
          try cipher.open(sealed, for: .webhookSecret(of: id)), for: .webhookSecret(of: id))
        changed = true
        count += 1
      }
      if changed { try await database.singleWrite { try await tracker.save(on: $0) } }
    }
    for subscription in try await WebhookSubscription.query(on: database).all()
    where cipher.needsRotation(subscription.secretSealed) {
      let binding = CredentialCipher.Binding.signingSecret(of: try subscription.requireID())
      subscription.secretSealed = try cipher.seal(
        try cipher.open(subscription.secretSealed, for: binding), for: binding)
      try await database.singleWrite { try await subscription.save(on: $0) }
      count += 1
    }
    return count
  }
}

struct KeysCommands: AsyncCommandGroup {
  var commands: [String: any AnyAsyncCommand] { ["rotate": KeysRotateCommand()] }
  var help: String { "Manage the encryption of stored credentials" }
}
