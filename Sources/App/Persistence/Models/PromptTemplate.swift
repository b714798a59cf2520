import Fluent
import Foundation

/// A company's prompt template; the body and schema here are those of `latestVersion`.
final class PromptTemplate: Model, @unchecked Sendable {
  static let schema = "prompt_templates"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Field(key: "name") var name: String
  @Field(key: "body_md") var bodyMarkdown: String
  @OptionalField(key: "lint_json") var lintJSON: String?
  @Field(key: "latest_version") var latestVersion: Int
  /// The latest version's token budget.
  @OptionalField(key: "max_tokens") var maxTokens: Int?
  @Parent(key: "created_by") var createdBy: User
  @OptionalField(key: "archived_at") var archivedAt: Date?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

  init() {}

  init(
    id: UUID = .v7(), companyID: UUID, name: String, bodyMarkdown: String, lintJSON: String?,
    createdBy: UUID
  ) {
    self.id = id
    self.$company.id = companyID
    self.name = name
    self.bodyMarkdown = bodyMarkdown
    self.lintJSON = lintJSON
    self.latestVersion = 1
    self.$createdBy.id = createdBy
  }
}

/// One saved body and schema of a template; never changed once written.
final class PromptTemplateVersion: Model, @unchecked Sendable {
  static let schema = "prompt_template_versions"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "template_id") var template: PromptTemplate
  @Field(key: "version") var version: Int
  @Field(key: "body_md") var bodyMarkdown: String
  @OptionalField(key: "lint_json") var lintJSON: String?
  /// The most tokens a prompt from this version may have (nil: no budget).
  @OptionalField(key: "max_tokens") var maxTokens: Int?
  @Field(key: "content_hash") var contentHash: String
  @Parent(key: "created_by") var createdBy: User
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(
    id: UUID = .v7(), templateID: UUID, version: Int, bodyMarkdown: String, lintJSON: String?,
    maxTokens: Int? = nil, createdBy: UUID
  ) {
    self.id = id
    self.$template.id = templateID
    self.version = version
    self.bodyMarkdown = bodyMarkdown
    self.lintJSON = lintJSON
    self.maxTokens = maxTokens
    // A budget joins the hash only when there is one: versions without keep their hashes.
    self.contentHash = SHA256Digest.hex(
      bodyMarkdown + "\u{0}" + (lintJSON ?? "") + (maxTokens.map { "\u{0}max=\($0)" } ?? ""))
    self.$createdBy.id = createdBy
  }
}
