/// A user's role; each role includes every permission of the roles below it.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
  case developer
  case lead
  case admin

  private var rank: Int {
    switch self {
    case .developer: 0
    case .lead: 1
    case .admin: 2
    }
  }

  public static func < (lhs: Role, rhs: Role) -> Bool {
    lhs.rank < rhs.rank
  }

  /// Whether this role grants at least the permissions of `required`.
  public func includes(_ required: Role) -> Bool {
    self >= required
  }
}
