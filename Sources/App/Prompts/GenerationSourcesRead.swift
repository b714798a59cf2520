import Foundation
import JSONCore
import Vapor

/// `POST /prompts/generate` reads its issue and template with the caller's session
/// (`SessionCompanionRead`). The ids come from the body as it arrived, before the contract
/// check: a body that does not name them plainly reads nothing here, and the route's own parse
/// (`GenerationRequest`) decides what the request asks for; it takes these rows only when its
/// statements are the same.
struct GenerationSourcesRead: SessionCompanionRead {
  func statements(for request: Request, companyID: UUID) -> [any FixedStatement]? {
    // A body still streaming is left to the route: collecting it here would come before the
    // contract check's size limit.
    guard request.headers.hasJSONContentType, let buffer = request.body.data,
      let body = try? request.parsedBody(buffer),
      let issueID = body["issueId"]?.stringValue.flatMap(UUID.init(text:)),
      let templateID = body["templateId"]?.stringValue.flatMap(UUID.init(text:))
    else { return nil }
    let version = body["templateVersion"]?.nonNull
    let label = body["templateLabel"]?.nonNull
    guard version == nil || version?.intValue != nil, label == nil || label?.stringValue != nil
    else { return nil }
    return GenerationService.sourceStatements(
      issueID: issueID, templateID: templateID, companyID: companyID,
      version: version?.intValue, label: label?.stringValue)
  }
}
