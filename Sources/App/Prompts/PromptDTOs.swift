import Foundation
import Templating
import Vapor

struct GenerationResponse: Content {
  let promptVersionId: String
  let promptText: String
  let tokens: Int
  let promptId: String
  let version: Int
  let encoding: String
  let templateVersion: Int
  /// The label the template version was chosen through (`production`, `latest`…); null when
  /// the request named a version number.
  let templateLabel: String?

  init(_ result: GenerationResult) {
    promptVersionId = result.promptVersionID.lowercasedText
    promptText = result.text
    tokens = result.tokens
    promptId = result.promptID.lowercasedText
    version = result.version
    encoding = result.encoding
    templateVersion = result.templateVersion
    templateLabel = result.templateLabel
  }

  /// The bytes `encode(to:)` gives through the application's `JSONEncoder`, written directly
  /// (`JSONByteWriter`): encoding the response was 3 % of generate's event-loop samples (perf,
  /// 2026-12-06). `PromptResponseJSONTests` compares both.
  func json(allocator: ByteBufferAllocator) -> ByteBuffer {
    var json = JSONByteWriter(buffer: allocator.buffer(capacity: promptText.utf8.count + 320))
    json.beginObject()
    json.key("encoding")
    json.string(encoding)
    json.key("promptId")
    json.string(promptId)
    json.key("promptText")
    json.string(promptText)
    json.key("promptVersionId")
    json.string(promptVersionId)
    json.key("templateLabel")
    if let templateLabel { json.string(templateLabel) } else { json.null() }
    json.key("templateVersion")
    json.integer(templateVersion)
    json.key("tokens")
    json.integer(tokens)
    json.key("version")
    json.integer(version)
    json.endObject()
    return json.buffer
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(promptVersionId, forKey: .promptVersionId)
    try container.encode(promptText, forKey: .promptText)
    try container.encode(tokens, forKey: .tokens)
    try container.encode(promptId, forKey: .promptId)
    try container.encode(version, forKey: .version)
    try container.encode(encoding, forKey: .encoding)
    try container.encode(templateVersion, forKey: .templateVersion)
    try container.encode(templateLabel, forKey: .templateLabel)
  }
}

struct PromptVersionSummary: Content {
  let id: String
  let version: Int
  let tokens: Int
  let encoding: String
  let createdAt: Date?
}

struct PromptResponse: Content {
  let id: String
  let issueId: String
  let templateId: String
  let creatorId: String
  let createdAt: Date?
  /// The issue's key and title and the template's name, so a list names what it shows.
  let issueKey: String?
  let issueTitle: String?
  let templateName: String?
  /// The newest version's number, token count and time.
  let latestVersion: Int?
  let latestTokens: Int?
  let latestAt: Date?
  /// Present on `GET /prompts/:id`, oldest first.
  let versions: [PromptVersionSummary]?

  init(_ prompt: Prompt, versions: [PromptVersion]? = nil, summaries: PromptSummaries) throws {
    let promptID = try prompt.requireID()
    id = promptID.lowercasedText
    issueId = prompt.$issue.id.lowercasedText
    templateId = prompt.$template.id.lowercasedText
    creatorId = prompt.$creator.id.lowercasedText
    createdAt = prompt.createdAt
    let issue = summaries.issues[prompt.$issue.id]
    issueKey = issue?.key
    issueTitle = issue?.title
    templateName = summaries.templates[prompt.$template.id]
    let latest = summaries.latest[promptID]
    latestVersion = latest?.version
    latestTokens = latest?.tokens
    latestAt = latest?.createdAt
    self.versions = try versions?.map {
      PromptVersionSummary(
        id: try $0.requireID().lowercasedText, version: $0.version,
        tokens: $0.tokensEstimate, encoding: $0.encoding, createdAt: $0.createdAt)
    }
  }
}

struct PromptVersionResponse: Content {
  let id: String
  let promptId: String
  let version: Int
  let promptText: String
  let tokens: Int
  let encoding: String
  let model: String
  let templateId: String
  let templateVersion: Int
  let templateLabel: String?
  /// The request let the prompt exceed its template version's token budget.
  let allowOverBudget: Bool
  let templateOverride: JSONValue?
  let vars: JSONValue
  let issueId: String
  let issueSnapshotSha256: String
  let creatorId: String
  let createdAt: Date?
  /// The current review of each of the version's outputs that has one, oldest output first.
  let reviews: [OutputReviewSummary]
}

/// An output's review as a prompt version lists it.
struct OutputReviewSummary: Content {
  let outputId: String
  let review: ReviewResponse
}
