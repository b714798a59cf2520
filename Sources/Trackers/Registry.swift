/// Builds tracker clients by type, so that a new tracker is one new client file plus one
/// registration here.
public struct TrackerRegistry: Sendable {
  /// Builds a client from a configuration; throws ``TrackerError/invalidConfiguration(_:)``
  /// when the configuration cannot work for this type.
  public typealias Factory = @Sendable (TrackerConfiguration) throws -> any TrackerClient

  private var factories: [TrackerType: Factory] = [:]

  /// Creates an empty registry.
  public init() {}

  /// The registry with every built-in tracker.
  public static let standard: TrackerRegistry = {
    var registry = TrackerRegistry()
    registry.register(.jiraCloud) { try JiraCloudClient(configuration: $0) }
    registry.register(.jiraDataCenter) { try JiraDataCenterClient(configuration: $0) }
    registry.register(.teamwork) { try TeamworkClient(configuration: $0) }
    registry.register(.github) { try GitHubClient(configuration: $0) }
    registry.register(.gitlab) { try GitLabClient(configuration: $0) }
    registry.register(.linear) { try LinearClient(configuration: $0) }
    return registry
  }()

  /// Registers (or replaces) the factory for a type.
  public mutating func register(_ type: TrackerType, factory: @escaping Factory) {
    factories[type] = factory
  }

  /// The registered types, sorted by key.
  public var types: [TrackerType] {
    factories.keys.sorted { $0.rawValue < $1.rawValue }
  }

  /// True when a factory is registered for `type`.
  public func supports(_ type: TrackerType) -> Bool {
    factories[type] != nil
  }

  /// Builds the client for `configuration.type`.
  public func makeClient(_ configuration: TrackerConfiguration) throws -> any TrackerClient {
    guard let factory = factories[configuration.type] else {
      throw TrackerError.invalidConfiguration("unknown tracker type '\(configuration.type)'")
    }
    return try factory(configuration)
  }
}
