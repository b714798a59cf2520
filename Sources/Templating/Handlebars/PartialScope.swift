/// The template a piece of a render comes from: where its errors point and how deeply it nests.
final class SourceUnit: Sendable {
  let source: SourceText
  /// The partial's name, nil for the template being rendered.
  let partialName: String?
  /// The template's deepest nesting: an upper bound for any program in it.
  let nesting: Int

  init(source: SourceText, partialName: String?, nesting: Int) {
    self.source = source
    self.partialName = partialName
    self.nesting = nesting
  }
}

/// A partial defined by `{{#*inline "name"}}`, as handlebars.js' `inline` decorator registers it:
/// its program, with the `../` contexts around the program that defined it.
final class InlinePartial: Sendable {
  let program: Program
  let unit: SourceUnit
  let depths: [Value]

  init(program: Program, unit: SourceUnit, depths: [Value]) {
    self.program = program
    self.unit = unit
    self.depths = depths
  }
}

/// The partials a program sees beyond the resolver's: inline partials by name, innermost
/// definition winning (handlebars.js' `container.partials` while the program runs).
typealias InlineScope = [String: InlinePartial]

/// The block of `{{#> name}}block{{/name}}`, which the partial renders with
/// `{{> @partial-block}}`: handlebars.js' `partialBlockWrapper`, closing over the including
/// template's state at the inclusion.
final class PartialBlockCall: Sendable {
  /// The identity of its `@partial-block` value (see `Value.functionIndex`).
  let id: UInt64
  let program: Program
  let unit: SourceUnit
  /// `../` contexts and block parameters where the partial block stands.
  let depths: [Value]
  let blockParamFrames: [[Value]]
  /// Inline partials visible where the partial block stands.
  let scope: InlineScope
  /// The `@partial-block` of the including template, restored while the block renders.
  let outer: PartialBlockCall?

  init(
    index: Int, program: Program, unit: SourceUnit, depths: [Value], blockParamFrames: [[Value]],
    scope: InlineScope, outer: PartialBlockCall?
  ) {
    self.id = UInt64(index + 1) << 2 | 1
    self.program = program
    self.unit = unit
    self.depths = depths
    self.blockParamFrames = blockParamFrames
    self.scope = scope
    self.outer = outer
  }
}
