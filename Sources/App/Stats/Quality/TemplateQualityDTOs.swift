import Foundation
import Vapor

/// `GET /stats/templates/:id`: a template's figures per version, newest version first.
struct TemplateQualityResponse: Content {
  let templateId: String
  /// The range asked for; null for all time.
  let from: Date?
  let to: Date?
  let tz: String
  let versions: [TemplateVersionQuality]

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(templateId, forKey: .templateId)
    try container.encode(from, forKey: .from)
    try container.encode(to, forKey: .to)
    try container.encode(tz, forKey: .tz)
    try container.encode(versions, forKey: .versions)
  }
}

/// One version's figures over the prompts generated with it in the range. Rates and means are
/// null when there is nothing to divide by.
struct TemplateVersionQuality: Content, Equatable {
  let version: Int
  let generations: Int
  let outputs: Int
  let reviewed: Int
  let accepted: Int
  let changesRequested: Int
  let rejected: Int
  /// accepted / reviewed.
  let acceptanceRate: Double?
  /// The 95 % Wilson interval of the acceptance rate.
  let acceptanceInterval: ProportionInterval?
  let meanPromptTokens: Double?
  /// Over the outputs that reported their tokens.
  let meanOutputTokens: Double?
  /// From the generation to its first output; estimated within 15 % (`FirstOutputMedian`).
  let medianSecondsToFirstOutput: Double?
  /// When each label pointed to this version.
  let labels: [TemplateVersionLabelSpan]

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(version, forKey: .version)
    try container.encode(generations, forKey: .generations)
    try container.encode(outputs, forKey: .outputs)
    try container.encode(reviewed, forKey: .reviewed)
    try container.encode(accepted, forKey: .accepted)
    try container.encode(changesRequested, forKey: .changesRequested)
    try container.encode(rejected, forKey: .rejected)
    try container.encode(acceptanceRate, forKey: .acceptanceRate)
    try container.encode(acceptanceInterval, forKey: .acceptanceInterval)
    try container.encode(meanPromptTokens, forKey: .meanPromptTokens)
    try container.encode(meanOutputTokens, forKey: .meanOutputTokens)
    try container.encode(medianSecondsToFirstOutput, forKey: .medianSecondsToFirstOutput)
    try container.encode(labels, forKey: .labels)
  }
}

/// A label's stay on a version: from its move there to its next move (null while it stays).
struct TemplateVersionLabelSpan: Content, Equatable {
  let label: String
  let from: Date
  let to: Date?

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(label, forKey: .label)
    try container.encode(from, forKey: .from)
    try container.encode(to, forKey: .to)
  }
}

/// `GET /stats/templates/:id/compare?a&b`: b against a.
struct TemplateComparisonResponse: Content {
  let templateId: String
  let a: TemplateVersionQuality
  let b: TemplateVersionQuality
  /// b's acceptance rate minus a's; null when either has no review.
  let rateDifference: Double?
  /// Newcombe's 95 % interval of the difference.
  let differenceInterval: ProportionInterval?
  let tokenDifference: TokenDifference
  /// The reviewed outputs behind each rate.
  let sampleSizes: SampleSizes
  /// Reviewed outputs each side needs before a verdict other than `not_enough_data`.
  let minimumSample: Int
  /// `b_better`, `a_better`, `no_difference` or `not_enough_data`.
  let verdict: String

  struct TokenDifference: Content, Equatable {
    /// b's mean minus a's; null when either has none.
    let meanPromptTokens: Double?
    let meanOutputTokens: Double?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(meanPromptTokens, forKey: .meanPromptTokens)
      try container.encode(meanOutputTokens, forKey: .meanOutputTokens)
    }
  }

  struct SampleSizes: Content, Equatable {
    let a: Int
    let b: Int
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(templateId, forKey: .templateId)
    try container.encode(a, forKey: .a)
    try container.encode(b, forKey: .b)
    try container.encode(rateDifference, forKey: .rateDifference)
    try container.encode(differenceInterval, forKey: .differenceInterval)
    try container.encode(tokenDifference, forKey: .tokenDifference)
    try container.encode(sampleSizes, forKey: .sampleSizes)
    try container.encode(minimumSample, forKey: .minimumSample)
    try container.encode(verdict, forKey: .verdict)
  }
}
