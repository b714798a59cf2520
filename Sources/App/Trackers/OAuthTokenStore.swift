import Fluent
import Foundation
import SQLKit
import Trackers

/// Jira Cloud access tokens kept sealed in the tracker's `auth_json`, refreshed before they
/// expire. A refresh rotates the refresh token, so it runs under a per-tracker lock (in-process
/// single flight, plus a PostgreSQL advisory lock across processes) and the rotated token is saved
/// in the same transaction that read the old one: a rotation is never lost.
struct OAuthTokenStore: AccessTokenProvider {
  let trackerID: UUID
  let database: any Database
  let cipher: CredentialCipher
  let oauth: AtlassianOAuth
  let now: @Sendable () -> Date

  func accessToken() async throws -> String {
    let auth = try await load(on: database)
    if let token = auth.accessToken, let expiresAt = auth.expiresAt,
      expiresAt > now().addingTimeInterval(60)
    {
      return token
    }
    return try await refresh(force: false)
  }

  func refreshAfterUnauthorized() async throws -> String {
    try await refresh(force: true)
  }

  private func refresh(force: Bool) async throws -> String {
    do {
      return try await OAuthRefreshGate.shared.run(trackerID) {
        // Not `writeTransaction`: the refresh is an HTTP call, and a write transaction must not
        // wait on the network. `OAuthRefreshGate` orders refreshes within the process and the
        // advisory lock across processes on PostgreSQL; on SQLite the new tokens are written
        // after the call, through the process's writer.
        guard database.engine == .postgres else {
          return try await refresh(force: force, on: database) { update in
            try await database.singleWrite { try await update($0) }
          }
        }
        return try await database.transaction { transaction in
          // The UUID's first eight bytes: the same key in every process.
          let key = withUnsafeBytes(of: trackerID.uuid) { $0.loadUnaligned(as: Int64.self) }
          _ = try await transaction.sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").all()
          return try await refresh(force: force, on: transaction) { try await $0(transaction) }
        }
      }
    } catch let error as TrackerError where error.needsReauthorization {
      let trackerID = trackerID
      try await database.singleWrite { database in
        try await Tracker.query(on: database).filter(\.$id == trackerID)
          .set(\.$needsReauth, to: true).set(\.$lastError, to: "\(error)").update()
      }
      throw error
    }
  }

  /// Reads the stored tokens on `database`, refreshes them unless another caller just did, and
  /// stores the new ones through `write`.
  private func refresh(
    force: Bool, on database: any Database,
    write: (@escaping @Sendable (any Database) async throws -> Void) async throws -> Void
  ) async throws -> String {
    var auth = try await load(on: database)
    if !force, let token = auth.accessToken, let expiresAt = auth.expiresAt,
      expiresAt > now().addingTimeInterval(60)
    {
      return token  // another caller refreshed while we waited
    }
    guard let refreshToken = auth.refreshToken else {
      throw TrackerError.invalidGrant("no refresh token stored")
    }
    let tokens = try await oauth.refresh(refreshToken: refreshToken)
    auth.accessToken = tokens.accessToken
    auth.refreshToken = tokens.refreshToken ?? refreshToken
    auth.expiresAt = tokens.expiresAt
    let sealed = try cipher.seal(JSONEncoder().encode(auth), for: .auth(of: trackerID))
    let trackerID = trackerID
    try await write { database in
      try await Tracker.query(on: database).filter(\.$id == trackerID)
        .set(\.$authJSON, to: sealed).update()
    }
    return tokens.accessToken
  }

  private func load(on database: any Database) async throws -> TrackerAuth {
    guard let tracker = try await Tracker.find(trackerID, on: database),
      let sealed = tracker.authJSON
    else { throw TrackerError.invalidGrant("the tracker has no OAuth tokens") }
    return try JSONDecoder().decode(
      TrackerAuth.self, from: cipher.open(sealed, for: .auth(of: trackerID)))
  }
}

/// One refresh at a time per tracker within this process; later callers share its result.
actor OAuthRefreshGate {
  static let shared = OAuthRefreshGate()
  private var running: [UUID: Task<String, any Error>] = [:]

  func run(_ id: UUID, _ body: @escaping @Sendable () async throws -> String) async throws
    -> String
  {
    if let task = running[id] { return try await task.value }
    let task = Task { try await body() }
    running[id] = task
    defer { running[id] = nil }
    return try await task.value
  }
}
