import Foundation
import Vapor

struct UserResponse: Content {
  let id: String
  let companyId: String
  let email: String
  let name: String
  let role: Role
  let disabled: Bool
  let createdAt: Date?
  /// After a password change or reset: how many personal access tokens it revoked.
  let revokedTokens: Int?

  init(_ user: User, revokedTokens: Int? = nil) throws {
    id = try user.requireID().lowercasedText
    companyId = user.$company.id.lowercasedText
    email = user.email
    name = user.name
    role = user.role
    disabled = user.disabled
    createdAt = user.createdAt
    self.revokedTokens = revokedTokens
  }
}

struct CreateUserRequest: Content {
  let email: String
  let name: String
  let role: String
  let password: String
}

struct UpdateUserRequest: Content {
  let name: String?
  let role: String?
  let disabled: Bool?
  let password: String?
}

struct UpdateMeRequest: Content {
  let name: String?
  let currentPassword: String?
  let newPassword: String?
}
