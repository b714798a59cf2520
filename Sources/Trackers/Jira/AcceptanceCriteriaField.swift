import Foundation

/// Chooses the acceptance-criteria field from `GET /rest/api/{2,3}/field`.
public enum AcceptanceCriteriaField {
  /// The id of the field named "Acceptance Criteria" (any case), preferring a global field
  /// over a project-scoped one, and a textarea over other types; `nil` when there is none.
  public static func discover(in fields: JSONValue) -> String? {
    let candidates = (fields.array ?? []).filter {
      $0["name"]?.string?.trimmingCharacters(in: .whitespaces).lowercased()
        == "acceptance criteria"
    }
    let ranked = candidates.enumerated().sorted { lhs, rhs in
      let left = rank(lhs.element)
      let right = rank(rhs.element)
      return left != right ? left < right : lhs.offset < rhs.offset
    }
    return ranked.first?.element["id"]?.string
  }

  private static func rank(_ field: JSONValue) -> Int {
    var score = 0
    if let scope = field["scope"], !scope.isNull { score += 2 }
    if field["schema"]?["custom"]?.string?.hasSuffix(":textarea") != true { score += 1 }
    return score
  }
}
