import Templating
import Vapor

/// A request body read as an order-preserving JSON object, with field accessors that turn a
/// missing or mistyped field into a 400 naming it.
struct JSONBody {
  let object: JSONObject

  /// The request's body as the contract check parsed it (`Request.jsonBody`).
  init(_ req: Request) throws {
    guard let object = try req.jsonBody().objectValue else {
      throw AppError.badRequest("must be a JSON object", field: "body")
    }
    self.object = object
  }

  func has(_ field: String) -> Bool {
    object[field] != nil
  }

  func requiredString(_ field: String) throws -> String {
    guard let value = object[field], !value.isNull else {
      throw AppError.badRequest("is required", field: field)
    }
    guard let string = value.stringValue else {
      throw AppError.badRequest("must be a string", field: field)
    }
    return string
  }

  func optionalString(_ field: String) throws -> String? {
    guard let value = object[field], !value.isNull else { return nil }
    guard let string = value.stringValue else {
      throw AppError.badRequest("must be a string", field: field)
    }
    return string
  }

  func optionalInt(_ field: String) throws -> Int? {
    guard let value = object[field], !value.isNull else { return nil }
    guard let number = value.intValue else {
      throw AppError.badRequest("must be an integer", field: field)
    }
    return number
  }

  func optionalObject(_ field: String) throws -> JSONObject? {
    guard let value = object[field], !value.isNull else { return nil }
    guard let nested = value.objectValue else {
      throw AppError.badRequest("must be a JSON object", field: field)
    }
    return nested
  }

  func requiredUUID(_ field: String) throws -> UUID {
    let text = try requiredString(field)
    guard let id = UUID(text: text) else {
      throw AppError.validation(field: field, reason: "must be a UUID")
    }
    return id
  }

  func optionalUUID(_ field: String) throws -> UUID? {
    guard let text = try optionalString(field) else { return nil }
    guard let id = UUID(text: text) else {
      throw AppError.validation(field: field, reason: "must be a UUID")
    }
    return id
  }
}

extension HTTPHeaders {
  /// `application/json` or an `application/…+json` type.
  var hasJSONContentType: Bool {
    // The usual header, without parsing it into a media type (1 % of generate's CPU, perf).
    if first(name: .contentType) == "application/json" { return true }
    guard let type = contentType else { return false }
    return type == .json || (type.type == "application" && type.subType.hasSuffix("+json"))
  }
}

extension AppError {
  /// 415 for a body that does not say it is JSON, naming what it said.
  static func bodyIsNotJSON(_ headers: HTTPHeaders) -> AppError {
    let given = headers.first(name: .contentType).map { "\"\($0)\"" } ?? "no Content-Type"
    return AppError(
      .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported Media Type",
      detail: "The body must be JSON (Content-Type: application/json); got \(given).")
  }
}
