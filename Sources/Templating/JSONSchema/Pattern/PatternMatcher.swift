/// Runs a `PatternProgram` over a string as a lazily built DFA: each state is the set of NFA
/// instructions alive after a scalar, built the first time it is reached and then reused.
///
/// Every scalar costs at most one closure over the program (when its transition is new), so a
/// match takes at most (length × program size) steps and no input can make it backtrack. States
/// live for one call (no shared mutable state); past `maxStates` they are dropped and rebuilt.
struct PatternMatcher {
  private static let unknown: Int32 = -1
  private static let matched: Int32 = -2
  private static let dead: Int32 = -3
  static let maxStates = 4_096

  /// A state: the instructions to continue from (before their closure), and what the closure
  /// needs to know of the past.
  private struct Key: Hashable {
    var kernel: [Int32]
    var atStart: Bool
    var afterWordCharacter: Bool
  }

  private let program: PatternProgram
  private var keys: [Key] = []
  private var stateOfKey: [Key: Int32] = [:]
  /// Transitions on ASCII scalars, 128 per state.
  private var asciiTransitions: [Int32] = []
  /// Other transitions, keyed by state << 21 | scalar.
  private var otherTransitions: [UInt64: Int32] = [:]
  // Scratch space for closures.
  private var marks: [UInt32]
  private var generation: UInt32 = 0
  private var stack: [Int32] = []
  private var alive: [Int32] = []

  private init(_ program: PatternProgram) {
    self.program = program
    marks = Array(repeating: 0, count: program.instructions.count)
  }

  /// Whether `program` matches anywhere in `string`.
  static func matches(_ program: PatternProgram, _ string: String) -> Bool {
    var matcher = PatternMatcher(program)
    return matcher.run(string)
  }

  private mutating func run(_ string: String) -> Bool {
    var state = intern(Key(kernel: [], atStart: true, afterWordCharacter: false))
    for scalar in string.unicodeScalars {
      if keys.count > Self.maxStates {
        let key = keys[Int(state)]
        forgetStates()
        state = intern(key)
      }
      let value = scalar.value
      var target: Int32
      if value < 128 {
        target = asciiTransitions[Int(state) << 7 | Int(value)]
        if target == Self.unknown {
          target = transition(from: state, on: value)
          asciiTransitions[Int(state) << 7 | Int(value)] = target
        }
      } else {
        let slot = UInt64(state) << 21 | UInt64(value)
        if let known = otherTransitions[slot] {
          target = known
        } else {
          target = transition(from: state, on: value)
          otherTransitions[slot] = target
        }
      }
      if target == Self.matched { return true }
      if target == Self.dead { return false }
      state = target
    }
    return closure(of: keys[Int(state)], next: nil)
  }

  private mutating func forgetStates() {
    keys.removeAll(keepingCapacity: true)
    stateOfKey.removeAll(keepingCapacity: true)
    asciiTransitions.removeAll(keepingCapacity: true)
    otherTransitions.removeAll(keepingCapacity: true)
  }

  private mutating func intern(_ key: Key) -> Int32 {
    if let state = stateOfKey[key] { return state }
    let state = Int32(keys.count)
    keys.append(key)
    stateOfKey[key] = state
    asciiTransitions += repeatElement(Self.unknown, count: 128)
    return state
  }

  /// The state after `value`, or `matched` when a match ends before it, or `dead` when no match
  /// can start any more.
  private mutating func transition(from state: Int32, on value: UInt32) -> Int32 {
    let key = keys[Int(state)]
    if closure(of: key, next: value) { return Self.matched }
    var kernel: [Int32] = []
    for pc in alive {
      let consumes: Bool
      switch program.instructions[Int(pc)] {
      case .scalar(let expected): consumes = expected == value
      case .set(let index): consumes = program.sets[index].contains(value)
      default: consumes = false
      }
      if consumes { kernel.append(pc + 1) }
    }
    if kernel.isEmpty && program.anchoredAtStart { return Self.dead }
    kernel.sort()
    let afterWord = program.usesWordBoundaries && ScalarSet.isWordCharacter(value)
    return intern(Key(kernel: kernel, atStart: false, afterWordCharacter: afterWord))
  }

  /// Follows splits, jumps and assertions from the state's kernel and from the program start
  /// (the search is unanchored), leaving in `alive` the instructions that consume a scalar.
  /// Returns whether `match` is reached. `next` is the scalar after this position, nil at the
  /// end.
  private mutating func closure(of key: Key, next: UInt32?) -> Bool {
    generation &+= 1
    if generation == 0 {
      for index in marks.indices { marks[index] = 0 }
      generation = 1
    }
    alive.removeAll(keepingCapacity: true)
    stack.removeAll(keepingCapacity: true)
    stack.append(0)
    stack += key.kernel.reversed()
    let beforeWord = next.map(ScalarSet.isWordCharacter) ?? false
    while let pc = stack.popLast() {
      let index = Int(pc)
      if marks[index] == generation { continue }
      marks[index] = generation
      switch program.instructions[index] {
      case .scalar, .set:
        alive.append(pc)
      case .match:
        return true
      case .jump(let target):
        stack.append(Int32(target))
      case .split(let first, let second):
        stack.append(Int32(second))
        stack.append(Int32(first))
      case .assert(let assertion):
        let holds: Bool
        switch assertion {
        case .start: holds = key.atStart
        case .end: holds = next == nil
        case .wordBoundary: holds = key.afterWordCharacter != beforeWord
        case .notWordBoundary: holds = key.afterWordCharacter == beforeWord
        }
        if holds { stack.append(pc + 1) }
      }
    }
    return false
  }
}
