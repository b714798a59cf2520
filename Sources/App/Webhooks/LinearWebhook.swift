import Foundation
import Templating
import Trackers
import Vapor

/// `POST /webhooks/linear/:trackerId`: Linear's data-change events, verified by
/// `Linear-Signature` (bare hex HMAC-SHA256 of the raw body with the webhook's signing secret)
/// and by the body's `webhookTimestamp`, which must lie within a minute of our clock so that a
/// captured delivery cannot be replayed later. Each `Issue` event of the tracker's teams queues
/// a re-read of the issue; the re-read decides what is stored, so a removed issue (Linear no
/// longer finds it, or it is in the trash) and one moved to a team outside the scope are
/// marked deleted. Linear retries, and may disable, a webhook answered with anything but 200:
/// every accepted delivery is 200 (with the job when one is queued), other events and teams too.
extension WebhookRoutes {
  /// How far `webhookTimestamp` may lie from our clock, as Linear recommends.
  static let linearReplayWindow: TimeInterval = 60

  func receiveLinear(req: Request) async throws -> Response {
    let (tracker, secret) = try await Self.tracker(req, types: [TrackerType.linear.rawValue])
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    guard
      WebhookSignature.verifyHex(
        body: body, header: req.headers.first(name: "Linear-Signature"), secret: secret)
    else {
      throw Self.refuseSignature(req, tracker: tracker)
    }
    let event = try Self.json(body)
    guard let sent = event["webhookTimestamp"]?.doubleValue,
      abs(Date().timeIntervalSince1970 - sent / 1000) <= Self.linearReplayWindow
    else {
      throw Self.refuseSignature(req, tracker: tracker)
    }
    let teams = tracker.scope.teams ?? []
    let data = event["data"]
    // An issue that left one of our teams arrives under its new identifier; its earlier ones
    // name the issue we hold.
    let identifiers =
      [data?["identifier"]?.stringValue]
      + (data?["previousIdentifiers"]?.arrayValue ?? []).map(\.stringValue)
    guard event["type"]?.stringValue == "Issue",
      let key = identifiers.compactMap({ $0 }).first(where: { identifier in
        TrackerScope.linearTeam(of: identifier).map(teams.contains) ?? false
      })
    else {
      return Response(status: .ok)
    }
    let delivery =
      req.headers.first(name: "Linear-Delivery").map { "id:" + $0 }
      ?? "sha256:" + SHA256Digest.hex(body)
    let response = try await Self.enqueue(
      req, tracker: tracker, key: key,
      event: "Issue.\(event["action"]?.stringValue ?? "unknown")", delivery: delivery)
    response.status = .ok
    return response
  }
}
