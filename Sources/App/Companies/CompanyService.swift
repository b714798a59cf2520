import Fluent
import Foundation

/// Creating companies with their first admin, and the bootstrap of a new deployment.
struct CompanyService: Sendable {
  let database: any Database
  let hasher: PasswordHasher

  func create(
    name: String, adminEmail: String, adminName: String = "Administrator", adminPassword: String
  )
    async throws -> (Company, User)
  {
    if let reason = UserValidation.name(name) {
      throw AppError.validation(field: "name", reason: reason)
    }
    let users = UserService(database: database, hasher: hasher)
    let company = Company(name: name.trimmingCharacters(in: .whitespacesAndNewlines))
    let admin = try await users.prepare(
      companyID: try company.requireID(), email: adminEmail, name: adminName,
      roleName: Role.admin.rawValue, password: adminPassword)
    try await database.writeTransaction { transaction in
      try await company.create(on: transaction)
      try await users.insert(admin, on: transaction)
    }
    return (company, admin)
  }

  /// The company `user create` adds to when none is named: the first one created.
  func defaultCompany() async throws -> Company? {
    try await Company.defaultCompany(on: database)
  }

  /// On a deployment with no user at all, creates the company and its admin from
  /// `COMPANY_NAME`, `ADMIN_EMAIL` and `ADMIN_PASSWORD`. Returns the generated password when
  /// none was given, for the caller to show once.
  func bootstrapIfEmpty(config: AppConfig) async throws -> (email: String, password: String)? {
    guard try await User.query(on: database).count() == 0 else { return nil }
    let password = config.adminPassword ?? Self.generatePassword()
    do {
      _ = try await create(
        name: config.companyName, adminEmail: config.adminEmail, adminPassword: password)
    } catch let error as any DatabaseError where error.isConstraintFailure {
      // Another process bootstrapped the same deployment at the same moment.
      return nil
    }
    return config.adminPassword == nil ? (config.adminEmail, password) : nil
  }

  /// 24 characters from a 57-symbol alphabet without look-alikes: about 140 bits.
  static func generatePassword() -> String {
    let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
  }
}
