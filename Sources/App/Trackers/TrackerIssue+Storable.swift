import Trackers

extension TrackerIssue {
  /// The issue with U+0000 removed from every text the database stores: PostgreSQL's `text`
  /// refuses it, and one such character in a tracker's field must not stop a sync for good.
  var withoutNULCharacters: TrackerIssue {
    let clean = NULCharacter.removed(from:)
    var issue = self
    issue.key = clean(key)
    issue.title = clean(title)
    issue.descriptionMarkdown = clean(descriptionMarkdown)
    issue.criteriaMarkdown = criteriaMarkdown.map(clean)
    issue.statusName = clean(statusName)
    issue.priority = priority.map(clean)
    issue.type = type.map(clean)
    issue.labels = labels.map(clean)
    issue.assignees = assignees.map { user in
      var user = user
      user.name = user.name.map(clean)
      user.email = user.email.map(clean)
      return user
    }
    issue.browseURL = clean(browseURL)
    return issue
  }
}
