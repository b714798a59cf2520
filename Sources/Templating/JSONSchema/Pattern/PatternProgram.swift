/// A compiled `pattern`: a Thompson NFA as a list of instructions, run by `PatternMatcher`.
///
/// Counted repetitions are expanded into copies, so the program size is capped: matching costs
/// at most (input length × program size) steps, whatever the input.
final class PatternProgram: Sendable {
  enum Instruction: Sendable {
    /// Consumes this scalar.
    case scalar(UInt32)
    /// Consumes a scalar of `sets[index]`.
    case set(Int)
    /// Continues at both targets.
    case split(Int, Int)
    case jump(Int)
    /// Continues at the next instruction when the assertion holds.
    case assert(PatternAssertion)
    case match
  }

  /// Programs longer than this are refused.
  static let maxInstructions = 10_000

  let instructions: [Instruction]
  let sets: [ScalarSet]
  /// Whether `\b` or `\B` occur: only then does a state need to know the previous scalar.
  let usesWordBoundaries: Bool
  /// Whether a match can start only at the start of the string (`^…`): once no attempt is alive
  /// the answer is no.
  let anchoredAtStart: Bool

  /// Parses and compiles `source`.
  convenience init(compiling source: String) throws(SchemaError) {
    let (node, sets) = try PatternParser.parse(source)
    var emitter = Emitter()
    do {
      try emitter.compile(node)
      _ = try emitter.emit(.match)
    } catch {
      throw SchemaError(
        pointer: "",
        message: "pattern is too large once its repetitions are expanded (more than "
          + "\(Self.maxInstructions) instructions), which Promptsmith does not support")
    }
    self.init(instructions: emitter.code, sets: sets)
  }

  init(instructions: [Instruction], sets: [ScalarSet]) {
    self.instructions = instructions
    self.sets = sets
    usesWordBoundaries = instructions.contains { instruction in
      switch instruction {
      case .assert(.wordBoundary), .assert(.notWordBoundary): return true
      default: return false
      }
    }
    anchoredAtStart = Self.startsOnlyAtStart(instructions)
  }

  /// Whether the instructions reachable from the start without consuming anything, when not at
  /// the start of the string, can neither consume nor match.
  private static func startsOnlyAtStart(_ instructions: [Instruction]) -> Bool {
    var seen = Set<Int>()
    var stack = [0]
    while let pc = stack.popLast() {
      guard seen.insert(pc).inserted else { continue }
      switch instructions[pc] {
      case .scalar, .set, .match: return false
      case .split(let first, let second): stack += [first, second]
      case .jump(let target): stack.append(target)
      case .assert(.start): continue
      case .assert: stack.append(pc + 1)
      }
    }
    return true
  }

  /// Emits the instructions of a tree (recursing once per group level, which the parser caps).
  private struct Emitter {
    struct TooLarge: Error {}

    var code: [Instruction] = []

    mutating func emit(_ instruction: Instruction) throws(TooLarge) -> Int {
      guard code.count < PatternProgram.maxInstructions else { throw TooLarge() }
      code.append(instruction)
      return code.count - 1
    }

    mutating func compile(_ node: PatternNode) throws(TooLarge) {
      switch node {
      case .empty:
        break
      case .scalar(let value):
        _ = try emit(.scalar(value))
      case .set(let index):
        _ = try emit(.set(index))
      case .assertion(let assertion):
        _ = try emit(.assert(assertion))
      case .concatenation(let nodes):
        for node in nodes { try compile(node) }
      case .alternation(let alternatives):
        // split next, after; next: first; jump end; after: split … ; last
        var jumps: [Int] = []
        for (offset, alternative) in alternatives.enumerated() {
          guard offset < alternatives.count - 1 else {
            try compile(alternative)
            break
          }
          let split = try emit(.split(0, 0))
          try compile(alternative)
          jumps.append(try emit(.jump(0)))
          code[split] = .split(split + 1, code.count)
        }
        for jump in jumps { code[jump] = .jump(code.count) }
      case .repetition(let body, let min, let max):
        for _ in 0..<min { try compile(body) }
        if let max {
          // Each optional copy may be skipped to the end: split copy, end; copy; split …
          var splits: [Int] = []
          for _ in 0..<(max - min) {
            splits.append(try emit(.split(0, 0)))
            try compile(body)
          }
          for split in splits { code[split] = .split(split + 1, code.count) }
        } else {
          let loop = try emit(.split(0, 0))
          try compile(body)
          _ = try emit(.jump(loop))
          code[loop] = .split(loop + 1, code.count)
        }
      }
    }
  }
}
