import Fluent
import Foundation
import JSONCore

/// The current review of an output; a new review replaces it (the audit trail keeps each).
final class OutputReview: Model, @unchecked Sendable {
  static let schema = "output_reviews"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "output_id") var output: Output
  @Parent(key: "company_id") var company: Company
  /// `accepted`, `changes_requested` or `rejected`.
  @Field(key: "verdict") var verdict: String
  @OptionalField(key: "comment") var comment: String?
  /// Where the work went (a pull request, a commit), as a JSON array of URLs.
  @Field(key: "links_json") var linksJSON: String
  @Parent(key: "reviewed_by") var reviewedBy: User
  @Field(key: "reviewed_at") var reviewedAt: Date

  init() {}

  var links: [String] {
    (try? JSONValue(parsing: linksJSON))?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}
