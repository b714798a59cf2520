import Foundation

/// How many event loops (threads) the process runs (`EVENT_LOOPS`): they serve HTTP and run
/// Swift Concurrency's jobs, and each has its own pool of database connections.
///
/// By default one per core, except with PostgreSQL on this machine (a loopback host), where
/// one core is left to PostgreSQL's backends: each group of generations waits for one backend's
/// statement, and with a loop on every core that backend waited for the CPU. On 2 cores, one
/// loop instead of two gave generate 22–31 % more requests/s at 16 connections, the issue list
/// 4–21 % fewer and `/health` a quarter fewer (docs/performance.md, round 16).
public enum EventLoopCount {
  public static let variable = "EVENT_LOOPS"
  static let largest = 256
  /// Database connections per core: each loop's pool holds its share of `cores` times this.
  static let connectionsPerCore = 8

  /// The number of loops for this environment on a machine with `cores` cores. An invalid
  /// `EVENT_LOOPS` counts as unset here; `AppConfig.load` refuses it (`problem(in:)`).
  public static func chosen(environment: [String: String], cores: Int) -> Int {
    if let count = given(in: environment) { return count }
    let cores = max(1, cores)
    guard let url = environment["DATABASE_URL"], isPostgresOnThisMachine(url) else { return cores }
    return max(1, cores - 1)
  }

  /// What is wrong with `EVENT_LOOPS`, if anything.
  static func problem(in environment: [String: String]) -> String? {
    guard let raw = environment[variable], !raw.isEmpty, given(in: environment) == nil else {
      return nil
    }
    return "\(variable): must be a whole number from 1 to \(largest), got \"\(raw)\""
  }

  /// `EVENT_LOOPS` when it is a valid count.
  private static func given(in environment: [String: String]) -> Int? {
    guard let count = environment[variable].flatMap({ Int($0) }), (1...largest).contains(count)
    else { return nil }
    return count
  }

  /// Each loop's share of the connections the process would have with one loop per core, so
  /// that fewer loops do not mean fewer connections.
  static func connectionsPerLoop(loops: Int, cores: Int) -> Int {
    let total = max(1, cores) * connectionsPerCore
    let loops = max(1, loops)
    return max(connectionsPerCore, (total + loops - 1) / loops)
  }

  /// Whether `url` is a PostgreSQL URL whose host is this machine's loopback interface.
  static func isPostgresOnThisMachine(_ url: String) -> Bool {
    guard case .success(.postgres) = AppConfig.parseDatabaseURL(url),
      let host = URL(string: url)?.host?.lowercased()
    else { return false }
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
  }
}
