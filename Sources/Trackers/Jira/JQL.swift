import Foundation

/// Builds the JQL of a delta sync.
///
/// JQL `updated >= "yyyy/MM/dd HH:mm"` has minute granularity and is read in the querying
/// user's time zone (from `/myself`), so the literal is formatted in that zone, from the cursor
/// minus the overlap window, rounded down to the minute.
public enum JQL {
  /// The date literal (without quotes) for `date` in `timeZone`, rounded down to the minute.
  public static func dateLiteral(_ date: Date, in timeZone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(
      format: "%04d/%02d/%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
      parts.hour ?? 0, parts.minute ?? 0)
  }

  /// The search query: the tracker's filter, the `updated` bound, `ORDER BY updated, key`.
  ///
  /// Without a cursor the query is still bounded (Jira Cloud refuses unbounded JQL).
  public static func deltaQuery(
    filter: String?, updatedSince: Date?, overlap: TimeInterval, timeZone: TimeZone
  ) -> String {
    var clauses: [String] = []
    if let filter = filter.map(stripOrderBy), !filter.isEmpty {
      clauses.append("(\(filter))")
    }
    if let updatedSince {
      let start = updatedSince.addingTimeInterval(-max(0, overlap))
      clauses.append("updated >= \"\(dateLiteral(start, in: timeZone))\"")
    } else if clauses.isEmpty {
      clauses.append("updated >= \"1970/01/01 00:00\"")
    }
    return clauses.joined(separator: " AND ") + " ORDER BY updated ASC, key ASC"
  }

  /// Removes a trailing `ORDER BY …` clause; the sync's own ordering must win.
  static func stripOrderBy(_ jql: String) -> String {
    var text = jql
    if let range = text.range(
      of: #"(^|\s)order\s+by\s.*$"#, options: [.regularExpression, .caseInsensitive])
    {
      text.removeSubrange(range)
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
