import Foundation
import Templating
import Trackers
import Vapor

/// `POST /webhooks/gitlab/:trackerId`: GitLab's issue events for the tracker's projects. GitLab
/// does not sign: it sends the webhook's secret token as it is in `X-Gitlab-Token`, compared
/// here in constant time with the tracker's webhook secret. Each `Issue Hook` (and
/// `Confidential Issue Hook`) queues a re-read of its issue: the re-read decides what is stored,
/// so an issue moved to another project (closed with `moved_to_id`) or deleted (GitLab sends
/// no event for that; the next event or sync finds the 404) is marked deleted. Other events and
/// other projects answer 204.
extension WebhookRoutes {
  static let gitLabIssueEvents: Set<String> = ["Issue Hook", "Confidential Issue Hook"]

  func receiveGitLab(req: Request) async throws -> Response {
    let (tracker, secret) = try await Self.tracker(req, types: [TrackerType.gitlab.rawValue])
    guard let token = req.headers.first(name: "X-Gitlab-Token"),
      WebhookSignature.tokensMatch(token, secret)
    else {
      throw Self.refuseSignature(req, tracker: tracker)
    }
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    let event = try Self.json(body)
    guard Self.gitLabIssueEvents.contains(req.headers.first(name: "X-Gitlab-Event") ?? ""),
      let iid = event["object_attributes"]?["iid"]?.intValue,
      let path = event["project"]?["path_with_namespace"]?.stringValue,
      let configured = tracker.scope.projects?.first(where: {
        $0.caseInsensitiveCompare(path) == .orderedSame
      })
    else {
      return Response(status: .noContent)
    }
    let action = event["object_attributes"]?["action"]?.stringValue ?? "unknown"
    let key = "\(configured)#\(iid)"
    // One GitLab request that changes several issues gives all their hooks one event UUID:
    // the issue key keeps them apart. `Idempotency-Key` stays the same across retries.
    let delivery =
      (req.headers.first(name: "Idempotency-Key")
      ?? req.headers.first(name: "X-Gitlab-Event-UUID")).map { "id:\($0):\(key)" }
      ?? "sha256:" + SHA256Digest.hex(body)
    return try await Self.enqueue(
      req, tracker: tracker, key: key, event: "issue.\(action)", delivery: delivery)
  }
}
