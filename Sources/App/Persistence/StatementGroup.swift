import Synchronization

/// Concurrent statements of one kind, run one group at a time: while a group runs, the
/// statements that arrive wait, and when it ends the first of them leads the next group with all
/// the others that arrived meanwhile (at most ``largest``). Each group is one statement (and, for
/// a write, one commit) for what arrived during the previous one, as SQLite's writer groups its
/// commits (`SQLiteGroupCommit`); one group at a time (two at a time measured no faster for
/// generations: docs/performance.md, rounds 11 and 14). On PostgreSQL, generations are stored
/// in groups (`GenerationGroup`) and their sources read in groups (`GenerationSourcesGroup`).
///
/// Nothing runs on a thread of its own: the leader runs the group in its own task, and a
/// statement that finds no group running leads at once, alone, without waiting for company.
final class StatementGroup<Item: Sendable, Outcome: Sendable>: Sendable {
  /// The most items in one group.
  let largest: Int
  private let state = Mutex(State())

  init(largest: Int) {
    precondition(largest >= 1)
    self.largest = largest
  }

  /// Runs `item` in a group and returns its outcome. `run` gets the group's items, the
  /// caller's first, and returns one outcome per item in the same order; it runs only if the
  /// caller leads the group (a follower's outcome comes from its leader's `run`).
  func submit(_ item: Item, run: ([Item]) async -> [Outcome]) async -> Outcome {
    let leadsNow = state.withLock { state in
      guard !state.running else { return false }
      state.running = true
      return true
    }
    if !leadsNow {
      let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
        let leads = state.withLock { state in
          guard state.running else {
            state.running = true
            return true
          }
          state.waiting.append(Waiter(item: item, continuation: continuation))
          return false
        }
        if leads { continuation.resume(returning: .lead) }
      }
      if case .done(let outcome) = turn { return outcome }
    }
    let followers = state.withLock { state in
      let taken = Array(state.waiting.prefix(largest - 1))
      state.waiting.removeFirst(taken.count)
      return taken
    }
    let outcomes = await run([item] + followers.map(\.item))
    precondition(outcomes.count == followers.count + 1, "one outcome per item")
    // The next group starts before this one's followers are answered.
    let next = state.withLock { state -> Waiter? in
      guard !state.waiting.isEmpty else {
        state.running = false
        return nil
      }
      return state.waiting.removeFirst()
    }
    next?.continuation.resume(returning: .lead)
    for (follower, outcome) in zip(followers, outcomes.dropFirst()) {
      follower.continuation.resume(returning: .done(outcome))
    }
    return outcomes[0]
  }

  private enum Turn: Sendable {
    case done(Outcome)
    case lead
  }

  private struct Waiter: Sendable {
    let item: Item
    let continuation: CheckedContinuation<Turn, Never>
  }

  private struct State: Sendable {
    var running = false
    var waiting: [Waiter] = []
  }
}
