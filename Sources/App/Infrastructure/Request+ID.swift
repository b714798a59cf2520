import Vapor

extension Request {
  /// A UUID path parameter; anything else names no resource, so it is a 404.
  func idParameter(_ name: String, _ resource: String) throws -> UUID {
    guard let id = parameters.get(name, as: UUID.self) else {
      throw AppError.notFound(resource)
    }
    return id
  }
}
