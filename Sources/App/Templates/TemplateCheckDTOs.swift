import Foundation
import Templating
import Vapor

/// The answer of a check: a summary and each issue's counts.
struct CheckResponse: Content {
  struct Summary: Content {
    let checked: Int
    let failures: Int
    /// Mean of candidate − baseline over the issues both rendered; null when none did.
    let meanTokenDelta: Double?
    /// The delta of largest magnitude, with its sign; null when no issue rendered on both.
    let maxTokenDelta: Int?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(checked, forKey: .checked)
      try container.encode(failures, forKey: .failures)
      try container.encode(meanTokenDelta, forKey: .meanTokenDelta)
      try container.encode(maxTokenDelta, forKey: .maxTokenDelta)
    }
  }

  /// Why one side has no count: `field` is `vars/…` for a variable its schema refuses.
  struct Failure: Content, Equatable {
    let side: String
    let field: String?
    let reason: String

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(side, forKey: .side)
      try container.encode(field, forKey: .field)
      try container.encode(reason, forKey: .reason)
    }
  }

  struct IssueResult: Content {
    let issueId: String
    let extKey: String
    let baselineTokens: Int?
    let candidateTokens: Int?
    let tokenDelta: Int?
    let errors: [Failure]

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(issueId, forKey: .issueId)
      try container.encode(extKey, forKey: .extKey)
      try container.encode(baselineTokens, forKey: .baselineTokens)
      try container.encode(candidateTokens, forKey: .candidateTokens)
      try container.encode(tokenDelta, forKey: .tokenDelta)
      try container.encode(errors, forKey: .errors)
    }
  }

  let templateId: String
  let candidate: Int
  let baseline: Int
  let summary: Summary
  let issues: [IssueResult]

  init(templateId: String, candidate: Int, baseline: Int, results: [IssueResult]) {
    self.templateId = templateId
    self.candidate = candidate
    self.baseline = baseline
    let deltas = results.compactMap(\.tokenDelta)
    summary = Summary(
      checked: results.count, failures: results.filter { !$0.errors.isEmpty }.count,
      meanTokenDelta: deltas.isEmpty ? nil : Double(deltas.reduce(0, +)) / Double(deltas.count),
      maxTokenDelta: deltas.max { abs($0) < abs($1) })
    issues = results
  }
}

/// The body of a check; openapi.yaml's `CheckRequest` states the shapes and bounds.
struct CheckRequest: Decodable {
  let candidate: JSONValue
  let baseline: JSONValue?
  let issues: [String]?
  let sample: Int?

  /// A version number or a label name.
  static func reference(_ value: JSONValue, _ field: String) throws -> TemplateVersionReference {
    if let number = value.intValue, number >= 1 { return .number(number) }
    if let text = value.stringValue, let reference = TemplateVersionReference(text) {
      return reference
    }
    throw AppError.validation(
      field: field, reason: "must be a version number (1 or more) or a label name")
  }
}
