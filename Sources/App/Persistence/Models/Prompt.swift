import Fluent
import Foundation

/// The prompts one developer made for one issue with one template; each generation appends a
/// `PromptVersion`.
final class Prompt: Model, @unchecked Sendable {
  static let schema = "prompts"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Parent(key: "issue_id") var issue: Issue
  @Parent(key: "template_id") var template: PromptTemplate
  @Parent(key: "creator_id") var creator: User
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Children(for: \.$prompt) var versions: [PromptVersion]

  init() {}
}

/// One rendered prompt. Immutable: database triggers refuse updates and deletes.
final class PromptVersion: Model, @unchecked Sendable {
  static let schema = "prompt_versions"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "prompt_id") var prompt: Prompt
  @Parent(key: "company_id") var company: Company
  @Parent(key: "creator_id") var creator: User
  @Field(key: "version") var version: Int
  @Field(key: "body_text") var bodyText: String
  @Field(key: "tokens_estimate") var tokensEstimate: Int
  @Field(key: "encoding") var encoding: String
  @Field(key: "model") var model: String
  @Parent(key: "template_version_id") var templateVersion: PromptTemplateVersion
  @OptionalField(key: "override_body_md") var overrideBodyMarkdown: String?
  @OptionalField(key: "override_lint_json") var overrideLintJSON: String?
  @Field(key: "vars_json") var varsJSON: String
  @Field(key: "issue_snapshot_sha256") var issueSnapshotSHA256: String
  /// The label the template version was chosen through; nil when a number was asked for.
  @OptionalField(key: "template_label") var templateLabel: String?
  /// The request allowed the prompt to exceed its template version's token budget.
  @Field(key: "allow_over_budget") var allowOverBudget: Bool
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}
}

/// One generation, for statistics; `tokens_in` is the prompt's token count.
final class GenerationEvent: Model, @unchecked Sendable {
  static let schema = "generation_events"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Parent(key: "prompt_version_id") var promptVersion: PromptVersion
  @Parent(key: "template_id") var template: PromptTemplate
  @Parent(key: "user_id") var user: User
  @Field(key: "tokens_in") var tokensIn: Int
  @OptionalField(key: "tokens_out") var tokensOut: Int?
  @OptionalField(key: "ide") var ide: String?
  @Field(key: "timestamp") var timestamp: Date

  init() {}
}
