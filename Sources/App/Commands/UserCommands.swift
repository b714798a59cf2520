import ConsoleKit
import Fluent
import Foundation
import Vapor

/// `promptsmith user create --email … --name … --role … --password-stdin`.
struct UserCreateCommand: AsyncCommand {
  struct Signature: CommandSignature {
    @Option(name: "email", help: "E-mail address (unique across the deployment)")
    var email: String?
    @Option(name: "name", help: "Display name")
    var name: String?
    @Option(name: "role", help: "admin, lead or developer")
    var role: String?
    @Option(name: "company", help: "Company id (default: the first company)")
    var company: String?
    @Flag(name: "password-stdin", help: "Read the password from the first line of stdin")
    var passwordStdin: Bool
  }

  var help: String { "Add a user to a company (the first company by default)" }
  /// The password's source: the first line of standard input, or a fixed one in tests.
  var readPassword: @Sendable () -> String? = { readLine(strippingNewline: true) }

  func run(using context: CommandContext, signature: Signature) async throws {
    let app = context.application
    guard let email = signature.email, let name = signature.name, let role = signature.role else {
      throw CommandFailure("--email, --name and --role are required")
    }
    guard signature.passwordStdin, let password = readPassword() else {
      throw CommandFailure("--password-stdin is required, with the password on standard input")
    }
    try await Migrate.run(app)
    let companies = CompanyService(database: app.db, hasher: app.passwordHasher)
    let companyID: UUID
    if let given = signature.company {
      guard let id = UUID(text: given), try await Company.find(id, on: app.db) != nil else {
        throw CommandFailure("no company with id \(given)")
      }
      companyID = id
    } else {
      guard let first = try await companies.defaultCompany() else {
        throw CommandFailure("no company yet: run `promptsmith company create` first")
      }
      companyID = try first.requireID()
    }
    let user = try await CommandFailure.explaining {
      try await UserService(database: app.db, hasher: app.passwordHasher).create(
        companyID: companyID, email: email, name: name, roleName: role, password: password)
    }
    context.console.print("created user \(try user.requireID().lowercasedText)")
  }
}

/// `promptsmith company create --name … --admin-email … --admin-password-stdin`.
struct CompanyCreateCommand: AsyncCommand {
  struct Signature: CommandSignature {
    @Option(name: "name", help: "Company name")
    var name: String?
    @Option(name: "admin-email", help: "E-mail address of the company's first admin")
    var adminEmail: String?
    @Option(name: "admin-name", help: "Display name of the admin (default: Administrator)")
    var adminName: String?
    @Flag(name: "admin-password-stdin", help: "Read the admin password from stdin")
    var adminPasswordStdin: Bool
  }

  var help: String { "Add a company and its first admin" }
  var readPassword: @Sendable () -> String? = { readLine(strippingNewline: true) }

  func run(using context: CommandContext, signature: Signature) async throws {
    let app = context.application
    guard let name = signature.name, let email = signature.adminEmail else {
      throw CommandFailure("--name and --admin-email are required")
    }
    guard signature.adminPasswordStdin, let password = readPassword() else {
      throw CommandFailure("--admin-password-stdin is required, with the password on stdin")
    }
    try await Migrate.run(app)
    let (company, _) = try await CommandFailure.explaining {
      try await CompanyService(database: app.db, hasher: app.passwordHasher).create(
        name: name, adminEmail: email, adminName: signature.adminName ?? "Administrator",
        adminPassword: password)
    }
    context.console.print("created company \(try company.requireID().lowercasedText)")
  }
}

struct UserCommands: AsyncCommandGroup {
  var commands: [String: any AnyAsyncCommand] { ["create": UserCreateCommand()] }
  var help: String { "Manage users" }
}

struct CompanyCommands: AsyncCommandGroup {
  var commands: [String: any AnyAsyncCommand] { ["create": CompanyCreateCommand()] }
  var help: String { "Manage companies" }
}

/// A command-line failure with a message for the operator.
struct CommandFailure: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }

  /// Turns validation problems into one readable message.
  static func explaining<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as AppError {
      let details = error.errors.map { "\($0.field) \($0.reason)" }
      throw CommandFailure(details.isEmpty ? error.reason : details.joined(separator: "; "))
    }
  }
}
