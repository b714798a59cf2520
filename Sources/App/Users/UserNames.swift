import Fluent
import Foundation

/// Users' display names (the e-mail when the name is empty), in one query.
struct UserNames: Sendable {
  private let names: [UUID: String]

  static let none = UserNames(names: [:])

  subscript(id: UUID) -> String? { names[id] }

  static func load(_ ids: [UUID], on database: any Database) async throws -> UserNames {
    guard !ids.isEmpty else { return .none }
    var names: [UUID: String] = [:]
    for user in try await User.query(on: database).filter(\.$id ~~ Array(Set(ids))).all() {
      names[try user.requireID()] = user.name.isEmpty ? user.email : user.name
    }
    return UserNames(names: names)
  }
}
