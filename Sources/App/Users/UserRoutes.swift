import Fluent
import Vapor

/// `POST/GET /users`, `PATCH /users/:id` (admin) and `GET/PATCH /me` (any role).
struct UserRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let anyone = routes.grouped(RequireRole(.developer))
    anyone.get("me", use: me)
    anyone.patch("me", use: updateMe)

    let admins = routes.grouped("users").grouped(RequireRole(.admin))
    admins.post(use: create)
    admins.get(use: list)
    admins.patch(":userID", use: update)
  }

  func me(req: Request) async throws -> UserResponse {
    let principal = try req.principal
    guard let user = try await User.find(principal.userID, on: req.db) else {
      throw AppError.unauthorized
    }
    return try UserResponse(user)
  }

  func updateMe(req: Request) async throws -> UserResponse {
    let principal = try req.principal
    let body = try req.decodeBody(UpdateMeRequest.self)
    guard let user = try await User.find(principal.userID, on: req.db) else {
      throw AppError.unauthorized
    }
    var errors: [ProblemDetails.FieldError] = []
    if let name = body.name, let reason = UserValidation.name(name) {
      errors.append(.init(field: "name", reason: reason))
    }
    if let newPassword = body.newPassword {
      if let reason = PasswordPolicy.violation(of: newPassword) {
        errors.append(.init(field: "newPassword", reason: reason))
      }
      if body.currentPassword == nil {
        errors.append(.init(field: "currentPassword", reason: "is required to change the password"))
      }
    } else if body.currentPassword != nil {
      errors.append(.init(field: "newPassword", reason: "is required with currentPassword"))
    }
    guard errors.isEmpty else { throw AppError.validation(errors) }

    if let newPassword = body.newPassword, let currentPassword = body.currentPassword {
      try await CurrentPasswordCheck(req: req).verify(
        currentPassword, of: user, purpose: "password change")
      user.passwordHash = try await req.application.passwordHasher.hash(newPassword)
    }
    var changed: [String] = []
    if let name = body.name {
      let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed != user.name { changed.append("name") }
      user.name = trimmed
    }
    let passwordChanged = body.newPassword != nil
    let fields = changed + (passwordChanged ? ["password"] : [])
    let auditor = try req.auditor
    let revokedTokens = try await req.db.writeTransaction { transaction in
      try await user.save(on: transaction)
      var revokedTokens = 0
      if passwordChanged {
        try await SessionService.revokeAll(
          userID: principal.userID, keeping: principal.familyID, reason: "password changed",
          on: transaction)
        revokedTokens = try await PersonalAccessToken.revokeAll(
          userID: principal.userID, on: transaction)
      }
      if !fields.isEmpty {
        try await auditor.record(
          .userUpdated, .user, id: principal.userID, changed: fields, on: transaction)
      }
      return revokedTokens
    }
    if passwordChanged {
      try await req.audit.record(
        .passwordChanged, client: req.clientInfo, companyID: principal.companyID,
        userID: principal.userID)
    }
    return try UserResponse(user, revokedTokens: passwordChanged ? revokedTokens : nil)
  }

  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    let body = try req.decodeBody(CreateUserRequest.self)
    let service = UserService(
      database: req.db, hasher: req.application.passwordHasher, auditor: try req.auditor)
    let user = try await service.create(
      companyID: principal.companyID, email: body.email, name: body.name, roleName: body.role,
      password: body.password)
    let created = try UserResponse(user)
    let response = Response(status: .created)
    try response.content.encode(created)
    response.headers.replaceOrAdd(name: .location, value: "/users/\(created.id)")
    return response
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let page = try await User.query(on: req.db)
      .filter(\.$company.$id == principal.companyID)
      .page(PageRequest(from: req))
    return try page.map { try UserResponse($0) }.response(for: req)
  }

  func update(req: Request) async throws -> UserResponse {
    let principal = try req.principal
    guard let id = req.parameters.get("userID", as: UUID.self) else {
      throw AppError.notFound("User")
    }
    let body = try req.decodeBody(UpdateUserRequest.self)
    let service = UserService(
      database: req.db, hasher: req.application.passwordHasher, auditor: try req.auditor)
    let (user, revokedTokens) = try await service.update(
      id: id, companyID: principal.companyID, name: body.name, roleName: body.role,
      disabled: body.disabled, password: body.password)
    return try UserResponse(user, revokedTokens: body.password == nil ? nil : revokedTokens)
  }
}
