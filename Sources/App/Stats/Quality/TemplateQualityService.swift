import Fluent
import Foundation
import SQLKit

/// Per-version quality of a template: how often its outputs were accepted, at what cost in
/// tokens, how soon an output came, and how two versions compare.
struct TemplateQualityService: Sendable {
  let database: any Database

  /// Every version of the template, newest first, versions without a generation in the window
  /// included (with zeros and nulls).
  func versions(of template: PromptTemplate, companyID: UUID, window: StatsWindow) async throws
    -> [TemplateVersionQuality]
  {
    let templateID = try template.requireID()
    let versions = try await PromptTemplateVersion.query(on: database)
      .filter(\.$template.$id == templateID).sort(\.$version, .descending).all()
    let counted = try await figures(companyID: companyID, templateID: templateID, window: window)
    let spans = try await labelSpans(templateID: templateID)
    return try versions.map {
      Self.quality(
        version: $0.version, figures: counted[try $0.requireID()] ?? .none,
        labels: spans[$0.version] ?? [])
    }
  }

  /// The versions' counts and histograms in the window, by template version id.
  private func figures(companyID: UUID, templateID: UUID, window: StatsWindow) async throws
    -> [UUID: VersionFigures]
  {
    let scope = TemplateQualityStatements.Scope(
      companyID: companyID, templateID: templateID, window: window)
    var figures: [UUID: VersionFigures] = [:]
    for row in try await database.rows(TemplateQualityStatements.Counts(scope: scope)) {
      let count = { (column: String) in try row.decode(column: column, as: Int.self) }
      figures[try row.decode(column: "template_version_id", as: UUID.self)] = VersionFigures(
        generations: try count("generations"), promptTokens: try count("prompt_tokens"),
        outputs: try count("outputs"), outputTokens: try count("output_tokens"),
        outputsWithTokens: try count("outputs_with_tokens"), reviewed: try count("reviewed"),
        accepted: try count("accepted"), changesRequested: try count("changes_requested"),
        rejected: try count("rejected"))
    }
    for row in try await database.rows(TemplateQualityStatements.WholeDayLatency(scope: scope)) {
      let id = try row.decode(column: "template_version_id", as: UUID.self)
      let counts = try row.decode(column: "histogram", as: String.self)
        .split(separator: ",").map { Int($0) ?? 0 }
      guard counts.count == TemplateVersionFacts.bucketCount else {
        throw MalformedHistogram(buckets: counts.count)
      }
      figures[id, default: .none].histogram = counts
    }
    if !window.isWholeDays {
      for row in try await database.rows(TemplateQualityStatements.PartialDayLatency(scope: scope))
      {
        let id = try row.decode(column: "template_version_id", as: UUID.self)
        let bucket = try row.decode(column: "bucket", as: Int.self)
        guard TemplateVersionFacts.bucketColumns.indices.contains(bucket) else { continue }
        figures[id, default: .none].histogram[bucket] += try row.decode(column: "n", as: Int.self)
      }
    }
    return figures
  }

  /// Each label's stays, by version: a move starts a stay that the label's next move ends.
  func labelSpans(templateID: UUID) async throws -> [Int: [TemplateVersionLabelSpan]] {
    let moves = try await TemplateLabelMove.query(on: database)
      .filter(\.$template.$id == templateID).sort(\.$label).sort(\.$sequence).all()
    var spans: [Int: [TemplateVersionLabelSpan]] = [:]
    for (index, move) in moves.enumerated() {
      guard let version = move.version else { continue }
      let next = moves.indices.contains(index + 1) ? moves[index + 1] : nil
      let end = next?.label == move.label ? next?.movedAt : nil
      spans[version, default: []].append(
        TemplateVersionLabelSpan(label: move.label, from: move.movedAt, to: end))
    }
    return spans.mapValues { $0.sorted { ($0.from, $0.label) < ($1.from, $1.label) } }
  }

  static func quality(version: Int, figures: VersionFigures, labels: [TemplateVersionLabelSpan])
    -> TemplateVersionQuality
  {
    let mean = { (total: Int, count: Int) in count == 0 ? nil : Double(total) / Double(count) }
    return TemplateVersionQuality(
      version: version, generations: figures.generations, outputs: figures.outputs,
      reviewed: figures.reviewed, accepted: figures.accepted,
      changesRequested: figures.changesRequested, rejected: figures.rejected,
      acceptanceRate: mean(figures.accepted, figures.reviewed),
      acceptanceInterval: ProportionStatistics.wilson(
        successes: figures.accepted, trials: figures.reviewed),
      meanPromptTokens: mean(figures.promptTokens, figures.generations),
      meanOutputTokens: mean(figures.outputTokens, figures.outputsWithTokens),
      medianSecondsToFirstOutput: FirstOutputMedian.estimate(histogram: figures.histogram),
      labels: labels)
  }
}

/// A version's sums in a window, as the rollups keep them.
struct VersionFigures: Equatable, Sendable {
  var generations = 0
  var promptTokens = 0
  var outputs = 0
  var outputTokens = 0
  var outputsWithTokens = 0
  var reviewed = 0
  var accepted = 0
  var changesRequested = 0
  var rejected = 0
  /// First outputs per bucket of seconds (`TemplateVersionFacts.bucketBounds`).
  var histogram = [Int](repeating: 0, count: TemplateVersionFacts.bucketCount)

  static let none = VersionFigures()
}

/// A latency histogram whose bucket count is not the rollup's: a defect, never bad input.
struct MalformedHistogram: Error, CustomStringConvertible {
  let buckets: Int
  var description: String { "a latency histogram of \(buckets) buckets" }
}
