import SQLKit

/// Which jobs a reader may see and change: all of them, or one tenant's (optionally with the
/// deployment's own, tenant-less jobs). A job outside the scope behaves as if it did not exist.
public enum JobScope: Sendable, Equatable {
  /// Every job (the operator, tests).
  case all
  /// The jobs of `tenant`, plus the tenant-less ones when `withUntenanted`.
  case tenant(String, withUntenanted: Bool = false)

  /// The `WHERE` condition, or `nil` for no restriction.
  var condition: SQLQueryString? {
    switch self {
    case .all: nil
    case .tenant(let tenant, let withUntenanted):
      withUntenanted
        ? "(tenant = \(bind: tenant) OR tenant IS NULL)" : "tenant = \(bind: tenant)"
    }
  }

  /// The condition as an `AND …` suffix, empty for no restriction.
  var andCondition: SQLQueryString {
    condition.map { " AND " + $0 } ?? ""
  }
}
