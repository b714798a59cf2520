import Fluent
import Foundation

/// Creating and changing users, shared by the admin endpoints and the CLI.
struct UserService: Sendable {
  let database: any Database
  let hasher: PasswordHasher
  /// Writes each change's audit row in the change's transaction; nil for the CLI.
  var auditor: Auditor?

  func create(
    companyID: UUID, email: String, name: String, roleName: String, password: String
  ) async throws -> User {
    let user = try await prepare(
      companyID: companyID, email: email, name: name, roleName: roleName, password: password)
    try await database.writeTransaction { transaction in
      try await insert(user, on: transaction)
    }
    return user
  }

  /// Everything of `create` but the insert: the checks and the bcrypt hash (a quarter of a
  /// second), which must not run inside a write transaction (on SQLite the process's writer
  /// would wait for it).
  func prepare(
    companyID: UUID, email: String, name: String, roleName: String, password: String
  ) async throws -> User {
    var errors: [ProblemDetails.FieldError] = []
    if let reason = UserValidation.email(email) {
      errors.append(.init(field: "email", reason: reason))
    }
    if let reason = UserValidation.name(name) {
      errors.append(.init(field: "name", reason: reason))
    }
    let (role, roleProblem) = UserValidation.role(roleName)
    if let roleProblem { errors.append(.init(field: "role", reason: roleProblem)) }
    if let reason = PasswordPolicy.violation(of: password) {
      errors.append(.init(field: "password", reason: reason))
    }
    guard errors.isEmpty, let role else { throw AppError.validation(errors) }
    let normalized = User.normalize(email: email)
    if try await User.query(on: database).filter(\.$email == normalized).first() != nil {
      throw AppError.conflict("A user with this e-mail address already exists.")
    }
    let user = User(
      companyID: companyID, email: normalized,
      name: name.trimmingCharacters(in: .whitespacesAndNewlines), role: role,
      passwordHash: try await hasher.hash(password))
    return user
  }

  /// Inserts a prepared user and its audit row, in the caller's transaction.
  func insert(_ user: User, on transaction: any Database) async throws {
    try await user.create(on: transaction)
    try await auditor?.record(
      .userCreated, .user, id: try user.requireID(),
      changed: ["email", "name", "role", "password"], on: transaction)
  }

  func update(
    id: UUID, companyID: UUID, name: String?, roleName: String?, disabled: Bool?,
    password: String?
  ) async throws -> (user: User, revokedTokens: Int) {
    var errors: [ProblemDetails.FieldError] = []
    if let name, let reason = UserValidation.name(name) {
      errors.append(.init(field: "name", reason: reason))
    }
    let (role, roleProblem) = roleName.map(UserValidation.role) ?? (nil, nil)
    if let roleProblem { errors.append(.init(field: "role", reason: roleProblem)) }
    if let password, let reason = PasswordPolicy.violation(of: password) {
      errors.append(.init(field: "password", reason: reason))
    }
    guard errors.isEmpty else { throw AppError.validation(errors) }
    let newHash: String? =
      if let password { try await hasher.hash(password) } else { nil }

    // Reads the user and the other admins, then writes: on SQLite a deferred transaction would
    // fail with `database is locked` when a login wrote in between (seen in the browser tests).
    return try await database.writeTransaction { transaction in
      guard
        let user = try await User.query(on: transaction)
          .filter(\.$id == id).filter(\.$company.$id == companyID).first()
      else {
        throw AppError.notFound("User")
      }
      var changed: [String] = []
      if let name {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed != user.name { changed.append("name") }
        user.name = trimmed
      }
      if let role, role != user.role {
        changed.append("role")
        user.role = role
      }
      if let disabled, disabled != user.disabled {
        changed.append("disabled")
        user.disabled = disabled
      }
      if let newHash {
        changed.append("password")
        user.passwordHash = newHash
      }
      if user.role != .admin || user.disabled {
        let otherAdmins = try await User.query(on: transaction)
          .filter(\.$company.$id == companyID).filter(\.$role == .admin)
          .filter(\.$disabled == false).filter(\.$id != id).count()
        if otherAdmins == 0 {
          throw AppError.conflict("The company must keep at least one enabled admin.")
        }
      }
      try await user.save(on: transaction)
      if user.disabled || newHash != nil {
        try await SessionService.revokeAll(
          userID: id, reason: user.disabled ? "user disabled" : "password reset by admin",
          on: transaction)
      }
      let revokedTokens =
        newHash == nil ? 0 : try await PersonalAccessToken.revokeAll(userID: id, on: transaction)
      if !changed.isEmpty {
        var details: [String: String] = [:]
        if changed.contains("role") { details["role"] = user.role.rawValue }
        if changed.contains("disabled") { details["disabled"] = String(user.disabled) }
        try await auditor?.record(
          .userUpdated, .user, id: id, changed: changed, details: details, on: transaction)
      }
      return (user, revokedTokens)
    }
  }
}
