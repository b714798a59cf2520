import Foundation
import Templating
import Tokenizer

/// A template version's `maxTokens`: generation and preview refuse a prompt past it unless
/// the request allows it, and lint warns when the fixed text alone is past it.
enum TokenBudget {
  /// How many of the costliest variables a refusal names.
  static let largestShown = 5

  /// The costliest variables of a prompt: each top-level value the template names, by its
  /// tokens as text (strings as they are, other values as JSON).
  static func largest(
    context: JSONValue, source: String, encoding: Encoding
  ) -> [ProblemDetails.TokenCost] {
    var costs: [ProblemDetails.TokenCost] = []
    for (name, value) in context.objectValue?.pairs ?? [] where source.contains(name) {
      let text = value.stringValue ?? value.compactJSON
      costs.append(.init(name: name, tokens: encoding.count(text)))
    }
    return Array(
      costs.sorted { ($0.tokens, $1.name) > ($1.tokens, $0.name) }.prefix(largestShown))
  }

  /// A 422 `token-budget-exceeded` with `tokens`, `maxTokens` and `largest`.
  static func exceeded(tokens: Int, maxTokens: Int, largest: [ProblemDetails.TokenCost])
    -> AppError
  {
    let names = largest.prefix(3).map { "\($0.name) (\($0.tokens))" }.joined(separator: ", ")
    var error = AppError(
      .unprocessableEntity, type: "token-budget-exceeded", title: "Token budget exceeded",
      detail:
        "The prompt is \(tokens) tokens; the template version allows \(maxTokens)."
        + (names.isEmpty ? "" : " Costliest: \(names).")
        + " Shorten them (e.g. {{truncateTokens description 500}}) or set allowOverBudget.",
      errors: [.init(field: "allowOverBudget", reason: "is needed for a prompt over the budget")])
    error.tokens = tokens
    error.maxTokens = maxTokens
    error.largest = largest
    return error
  }

  /// A warning when the template with no variables at all (its fixed text, and what its
  /// sections give without values) already counts more than `maxTokens` in the default
  /// model's encoding.
  static func fixedTextWarning(
    _ body: String, maxTokens: Int, partials: PartialDictionary, limits: RenderLimits
  ) -> [Diagnostic] {
    guard let encoding = try? Encoding.forModel(GenerationRequest.defaultModel),
      let fixed = try? Template.compile(body, limits: limits).render(
        .object([:]), partials: partials, limits: limits,
        tokens: EncodingTruncator(encoding: encoding))
    else { return [] }
    let tokens = encoding.count(fixed)
    guard tokens > maxTokens else { return [] }
    return [
      Diagnostic(
        severity: .warning, code: .overTokenBudget,
        message:
          "the fixed text alone is \(tokens) tokens (\(encoding.name.rawValue)), over the budget of \(maxTokens)",
        line: 1, column: 1)
    ]
  }
}
