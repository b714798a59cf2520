import Foundation

/// One page of issues from a tracker, in ascending order of external updated time.
public struct TrackerPage: Sendable {
  /// The issues of this page.
  public var issues: [TrackerIssue]
  /// 1-based position of this page in the stream.
  public var number: Int
  /// True when the tracker said this is the last page.
  public var isLast: Bool
  /// Where the sync cursor may move once this page commits (never backwards: the sync takes
  /// the max with the stored one); nil leaves it where it is.
  public var cursor: Date?

  /// Creates a page whose cursor is its latest external updated time: right for a tracker that
  /// lists everything in one ascending order of update.
  public init(issues: [TrackerIssue], number: Int, isLast: Bool) {
    self.init(
      issues: issues, number: number, isLast: isLast, cursor: issues.map(\.updatedAt).max())
  }

  /// Creates a page with an explicit cursor: a client that lists several sources one after
  /// the other (GitHub repositories) moves it only when all of them are read, since an
  /// interrupted run must not skip what the later sources changed before it.
  public init(issues: [TrackerIssue], number: Int, isLast: Bool, cursor: Date?) {
    self.issues = issues
    self.number = number
    self.isLast = isLast
    self.cursor = cursor
  }

  /// The latest external updated time on this page.
  public var latestUpdatedAt: Date? {
    issues.map(\.updatedAt).max()
  }
}

/// A lazy sequence of ``TrackerPage``s: each `next()` performs at most one request.
///
/// Cancelling the consuming task stops the stream before the next request.
public struct TrackerPages: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = TrackerPage

  /// Fetches the page after `state` (`nil` for the first); returns the page and the state for
  /// the following page, or `nil` as state when this was the last page.
  public typealias FetchPage = @Sendable (PageState?) async throws -> (TrackerPage, PageState?)

  /// Opaque continuation state between pages (token, offset or page number).
  public enum PageState: Sendable, Equatable {
    /// Jira Cloud `nextPageToken`.
    case token(String)
    /// Jira Data Center `startAt`.
    case offset(Int)
    /// Teamwork `page`.
    case page(Int)
  }

  private let fetch: FetchPage

  /// Creates a page sequence from a page-fetching function.
  public init(fetch: @escaping FetchPage) {
    self.fetch = fetch
  }

  /// Creates an iterator.
  public func makeAsyncIterator() -> Iterator {
    Iterator(fetch: fetch)
  }

  /// Iterates pages, one request per call.
  public struct Iterator: AsyncIteratorProtocol {
    private let fetch: FetchPage
    private var state: PageState?
    private var finished = false
    private var pageNumber = 0

    init(fetch: @escaping FetchPage) {
      self.fetch = fetch
    }

    /// Returns the next page, or `nil` after the last one.
    public mutating func next() async throws -> TrackerPage? {
      if finished { return nil }
      try Task.checkCancellation()
      var (page, nextState) = try await fetch(state)
      pageNumber += 1
      page.number = pageNumber
      if let nextState, nextState != state, !page.isLast {
        state = nextState
      } else {
        finished = true
        page.isLast = true
      }
      return page
    }
  }
}
