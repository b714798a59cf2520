/// The status category of a tracker that only knows open and closed (GitHub, GitLab): closed is
/// done; open is in progress when assigned and carrying the scope's in-progress label, else to
/// do.
enum OpenClosedStatus {
  static func category(
    closed: Bool, labels: [String], assigned: Bool, inProgressLabel: String?
  ) -> StatusCategory {
    if closed { return .done }
    if let inProgressLabel, assigned, labels.contains(inProgressLabel) { return .inProgress }
    return .todo
  }
}
