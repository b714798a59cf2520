import Fluent
import Foundation
import Jobs
import SQLKit
import Trackers

/// Refuses logins after too many recent failures for the attempted e-mail (whether or not an
/// account has it, so that a lock reveals nothing) or from the client's network.
///
/// Each attempt is reserved in `login_attempts` before the password is verified, under a lock
/// that serialises reservations across API processes; a reservation counts as a failure until
/// the login succeeds. Counting failures recorded after the 250 ms bcrypt (as before) let a
/// parallel burst pass together. IPv6 clients are counted per /64, which one host can rotate
/// through at will.
struct LoginLimiter: Sendable {
  static let window: TimeInterval = 15 * 60
  /// The PostgreSQL advisory lock that serialises reservations across processes ("LOGIN").
  static let lockKey: Int64 = 0x4C_4F47_494E
  /// Serialises reservations within the process before they take a connection: a burst of
  /// logins waiting on the advisory lock would otherwise hold every pooled connection.
  static let processGate = AsyncMutex()

  let database: any Database
  let maximumFailures: Int

  /// One reserved attempt, settled once the password has been checked.
  struct Reservation: Sendable {
    let id: UUID
  }

  /// Reserves an attempt, or throws 429 with `Retry-After` when the e-mail or the network is at
  /// the limit. Nil when limits are off.
  func reserve(email: String, ip: String?, now: Date = Date()) async throws -> Reservation? {
    guard maximumFailures > 0 else { return nil }
    let bucket = ip.map(Self.bucket)
    let since = now.addingTimeInterval(-Self.window)
    let maximum = maximumFailures
    let id = UUID.v7()
    let database = database
    let unlock: Date? = try await Self.processGate.withLock {
      try await database.writeTransaction { transaction in
        let sql = transaction.sql
        if sql.engine == .postgres {
          try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
        }
        try await sql.delete(from: "login_attempts").where("created_at", .lessThan, SQLBind(since))
          .run()
        var oldest: [Date] = []
        for (column, value) in [("email", email), ("ip_bucket", bucket)] {
          guard let value else { continue }
          let rows = try await sql.select().column("created_at").from("login_attempts")
            .where(SQLIdentifier(column), .equal, SQLBind(value))
            .where("created_at", .greaterThanOrEqual, SQLBind(since))
            .orderBy("created_at", .descending).limit(maximum).all()
          if rows.count >= maximum, let last = rows.last {
            oldest.append(try last.decode(column: "created_at", as: Date.self))
          }
        }
        if let latest = oldest.max() { return latest.addingTimeInterval(Self.window) }
        try await sql.insert(into: "login_attempts")
          .columns("id", "email", "ip_bucket", "outcome", "created_at")
          .values(SQLBind(id), SQLBind(email), SQLBind(bucket), SQLBind("pending"), SQLBind(now))
          .run()
        return nil
      }
    }
    if let unlock {
      let seconds = max(1, Int(unlock.timeIntervalSince(now).rounded(.up)))
      throw AppError(
        .tooManyRequests, type: "too-many-login-failures", title: "Too Many Requests",
        detail: "Too many failed logins; try again in \(seconds) seconds.",
        headers: ["Retry-After": String(seconds)])
    }
    return Reservation(id: id)
  }

  /// A failed attempt keeps counting; a successful one stops counting.
  func settle(_ reservation: Reservation?, succeeded: Bool) async throws {
    guard let reservation else { return }
    try await database.singleWrite { transaction in
      let sql = transaction.sql
      if succeeded {
        try await sql.delete(from: "login_attempts").where("id", .equal, SQLBind(reservation.id))
          .run()
      } else {
        try await sql.update("login_attempts").set("outcome", to: SQLBind("failed"))
          .where("id", .equal, SQLBind(reservation.id)).run()
      }
    }
  }

  /// The unit an IP is limited by: an IPv4 address, or an IPv6 address's /64 (IPv4-mapped
  /// addresses count as IPv4).
  static func bucket(_ ip: String) -> String {
    guard let bytes = IPAddressBytes.parse(ip) else { return ip }
    if bytes.count == 4 { return ip }
    if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
      return bytes[12...].map(String.init).joined(separator: ".")
    }
    let groups = stride(from: 0, to: 8, by: 2).map {
      String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
    }
    return groups.joined(separator: ":") + "::/64"
  }
}
