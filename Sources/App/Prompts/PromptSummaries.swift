import Fluent
import Foundation

/// What a list of prompts shows beside ids: the issue's key and title, the template's name and
/// the latest version, read for a whole page in three small queries (ids and the few columns
/// needed, never issue payloads or prompt texts).
struct PromptSummaries: Sendable {
  struct Latest: Sendable {
    let version: Int
    let tokens: Int
    let createdAt: Date?
  }

  var issues: [UUID: (key: String, title: String)] = [:]
  var templates: [UUID: String] = [:]
  var latest: [UUID: Latest] = [:]

  static func load(_ prompts: [Prompt], on database: any Database) async throws -> Self {
    var summaries = Self()
    guard !prompts.isEmpty else { return summaries }
    let issueIDs = Array(Set(prompts.map(\.$issue.id)))
    for issue in try await Issue.query(on: database).filter(\.$id ~~ issueIDs)
      .field(\.$id).field(\.$externalKey).field(\.$title).all()
    {
      summaries.issues[try issue.requireID()] = (issue.externalKey, issue.title)
    }
    let templateIDs = Array(Set(prompts.map(\.$template.id)))
    for template in try await PromptTemplate.query(on: database).filter(\.$id ~~ templateIDs)
      .field(\.$id).field(\.$name).all()
    {
      summaries.templates[try template.requireID()] = template.name
    }
    let promptIDs = try prompts.map { try $0.requireID() }
    for version in try await PromptVersion.query(on: database).filter(\.$prompt.$id ~~ promptIDs)
      .field(\.$id).field(\.$prompt.$id).field(\.$version).field(\.$tokensEstimate)
      .field(\.$createdAt).all()
    where (summaries.latest[version.$prompt.id]?.version ?? 0) < version.version {
      summaries.latest[version.$prompt.id] = Latest(
        version: version.version, tokens: version.tokensEstimate, createdAt: version.createdAt)
    }
    return summaries
  }
}
