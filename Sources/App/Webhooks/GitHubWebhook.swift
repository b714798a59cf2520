import Foundation
import Templating
import Trackers
import Vapor

/// `POST /webhooks/github/:trackerId`: GitHub's `issues` events for the tracker's repositories,
/// verified by `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the tracker's webhook
/// secret), as JSON or form-encoded (`payload=`). Each event queues a re-read of its issue, as
/// Jira's do: the re-read, not the event, decides what is stored, so a deleted (410) or
/// transferred (301) issue is marked deleted only when GitHub no longer has it here. Events that
/// name no issue of the tracker's repositories (`ping`, other repositories) answer 204.
extension WebhookRoutes {
  func receiveGitHub(req: Request) async throws -> Response {
    let (tracker, secret) = try await Self.tracker(req, types: [TrackerType.github.rawValue])
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    guard
      WebhookSignature.verify(
        body: body, header: req.headers.first(name: "X-Hub-Signature-256"), secret: secret)
    else {
      throw Self.refuseSignature(req, tracker: tracker)
    }
    let event = try Self.gitHubEvent(body, contentType: req.headers.contentType)
    guard req.headers.first(name: "X-GitHub-Event") == "issues",
      let number = event["issue"]?["number"]?.intValue,
      let repository = event["repository"]?["full_name"]?.stringValue,
      let configured = tracker.scope.repositories?.first(where: {
        $0.caseInsensitiveCompare(repository) == .orderedSame
      })
    else {
      return Response(status: .noContent)
    }
    let action = event["action"]?.stringValue ?? "unknown"
    let delivery =
      req.headers.first(name: "X-GitHub-Delivery").map { "id:" + $0 }
      ?? "sha256:" + SHA256Digest.hex(body)
    return try await Self.enqueue(
      req, tracker: tracker, key: "\(configured)#\(number)", event: "issues.\(action)",
      delivery: delivery)
  }

  /// The event's JSON: the body itself, or its `payload` field when form-encoded.
  static func gitHubEvent(_ body: Data, contentType: HTTPMediaType?) throws -> JSONValue {
    var document = body
    if contentType == .urlEncodedForm {
      let field = String(decoding: body, as: UTF8.self).split(separator: "&")
        .first { $0.hasPrefix("payload=") }
      guard
        let payload = field?.dropFirst("payload=".count)
          .replacingOccurrences(of: "+", with: " ").removingPercentEncoding
      else {
        throw AppError.badRequest("a form-encoded delivery needs a payload field", field: "payload")
      }
      document = Data(payload.utf8)
    }
    return try Self.json(document)
  }
}
