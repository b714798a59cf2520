import Fluent

struct CreateCompanies: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("companies")
      .field("id", .uuid, .identifier(auto: false))
      .field("name", .string, .required)
      .field("created_at", .datetime, .required)
      .create()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("companies").delete()
  }
}
