import Foundation
import NIOHTTP1

/// Lists issues from several sources of one site (GitHub repositories, GitLab projects) one
/// after the other, each in ascending order of update and paged through the `Link` header
/// (or, without one, GitLab's `X-Next-Page`).
///
/// Only the run's last page moves the sync cursor, to the latest update the run saw
/// (``TrackerPage/cursor``): an interrupted run must not skip what the later sources changed.
struct LinkPagedListing: Sendable {
  let transport: HTTPTransport
  let headers: [(String, String)]
  let sources: [String]
  /// The first page's URL for a source.
  let firstPage: @Sendable (_ source: String) -> String
  /// An item of a page as an issue, or nil to skip it (GitHub's pull requests).
  let map: @Sendable (_ item: JSONValue, _ raw: Data, _ source: String) throws -> TrackerIssue?

  func pages() -> TrackerPages {
    let listing = self
    return TrackerPages { state in
      var position = ListingPosition(source: 0, url: nil, latest: nil)
      if case .token(let token) = state, let decoded = ListingPosition(token) {
        position = decoded
      }
      let source = listing.sources[position.source]
      let url = position.url ?? listing.firstPage(source)
      let result = try await listing.transport.send(.GET, url, headers: listing.headers)
      let items = try HTTPTransport.parsed(result.body, method: .GET, url: url).array ?? []
      let raws = try JSONSlicer.arrayElements(in: result.body)
      guard raws.count == items.count else {
        throw TrackerError.badResponse("issue count mismatch while slicing the response")
      }
      let issues = try zip(items, raws).compactMap { item, raw in
        try listing.map(item, raw, source)
      }
      let latest =
        ([position.latest] + items.map { $0["updated_at"]?.string.flatMap(Timestamps.parse) })
        .compactMap { $0 }.max()
      var next: ListingPosition?
      let link =
        LinkHeader.next(result.headers.first(name: "Link"))
        ?? LinkHeader.offsetPage(after: url, nextPage: result.headers.first(name: "X-Next-Page"))
      if let link, !items.isEmpty {
        next = ListingPosition(source: position.source, url: link, latest: latest)
      } else if position.source + 1 < listing.sources.count {
        next = ListingPosition(source: position.source + 1, url: nil, latest: latest)
      }
      let isLast = next == nil
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast, cursor: isLast ? latest : nil),
        next.map { .token($0.token) }
      )
    }
  }
}

/// Where a listing over several sources stands: which source, the next page's URL (nil for
/// its first), and the latest update seen so far in the run.
struct ListingPosition: Equatable {
  var source: Int
  var url: String?
  var latest: Date?

  init(source: Int, url: String?, latest: Date?) {
    self.source = source
    self.url = url
    self.latest = latest
  }

  /// `index latest url`, the URL last since it may hold anything but spaces; the time as
  /// `Date` keeps it (since 2001), so that it comes back exactly.
  var token: String {
    "\(source) \(latest.map { String($0.timeIntervalSinceReferenceDate) } ?? "-") \(url ?? "-")"
  }

  init?(_ token: String) {
    let parts = token.split(separator: " ", maxSplits: 2).map(String.init)
    guard parts.count == 3, let source = Int(parts[0]) else { return nil }
    self.source = source
    latest = Double(parts[1]).map(Date.init(timeIntervalSinceReferenceDate:))
    url = parts[2] == "-" ? nil : parts[2]
  }
}

/// `path#12`, the key Promptsmith gives an issue of a GitHub repository (`owner/repo#12`) or a
/// GitLab project (`group/subgroup/project#12`).
struct ScopedIssueKey: Equatable {
  let source: String
  let number: Int

  init?(_ key: String) {
    guard let hash = key.lastIndex(of: "#"), let number = Int(key[key.index(after: hash)...]),
      number > 0, hash > key.startIndex
    else { return nil }
    source = String(key[..<hash])
    self.number = number
  }

  init(source: String, number: Int) {
    self.source = source
    self.number = number
  }

  var key: String { "\(source)#\(number)" }
}
