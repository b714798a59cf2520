import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// The outbound policy: address classes, each rule, and that a refused URL is never connected
/// to (every server here is a loopback fake; refused targets are refused before any socket).
@Suite struct OutboundPolicyTests {
  @Test func addressesAreClassified() {
    let cases: [(String, AddressClass)] = [
      ("127.0.0.1", .loopback), ("127.9.9.9", .loopback), ("::1", .loopback),
      ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("0.0.0.0", .unspecified),
      ("::", .unspecified), ("10.1.2.3", .private), ("172.16.0.1", .private),
      ("172.31.255.255", .private), ("192.168.1.1", .private), ("100.64.0.1", .private),
      ("fd12:3456::1", .private), ("224.0.0.1", .multicast), ("ff02::1", .multicast),
      ("255.255.255.255", .reserved), ("192.0.2.10", .reserved), ("2001:db8::1", .reserved),
      ("8.8.8.8", .global), ("172.32.0.1", .global), ("2606:4700::1111", .global),
      // IPv4 inside IPv6 is judged as the IPv4 address it carries.
      ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal),
      ("64:ff9b::a9fe:a9fe", .linkLocal), ("::ffff:8.8.8.8", .global),
    ]
    for (text, expected) in cases {
      let bytes = IPAddressBytes.parse(text)
      #expect(bytes.map(AddressClass.of) == expected, "\(text)")
    }
  }

  @Test func networksParseAndMatch() throws {
    let network = try #require(IPNetwork(parsing: "10.0.0.0/8"))
    #expect(network.contains(IPAddressBytes.parse("10.200.1.1")!))
    #expect(!network.contains(IPAddressBytes.parse("11.0.0.1")!))
    #expect(IPNetwork(parsing: "10.0.0.0/33") == nil)
    #expect(IPNetwork(parsing: "jira.internal") == nil)
    let parsed = OutboundPolicy.parseAllowedHosts(" Jira.Internal , 10.0.0.0/8,::1 ,")
    #expect(parsed.names == ["jira.internal"])
    #expect(parsed.networks.count == 2)
  }

  @Test func theStrictPolicyRefusesEachRuleBeforeAnyLookup() async {
    let lookups = LookupLog()
    let policy = OutboundPolicy(resolver: lookups.resolver([:]))
    let cases: [(String, OutboundRefusal.Rule)] = [
      ("https://127.0.0.1", .address), ("https://[::1]:8443", .address),
      ("https://169.254.169.254/latest/meta-data", .address), ("https://10.0.0.5", .address),
      ("https://0.0.0.0", .address), ("https://[::ffff:127.0.0.1]", .address),
      ("http://jira.example.com", .httpsRequired), ("https://jira.example.com#/x", .fragment),
      ("https://user:pw@jira.example.com", .userinfo), ("ftp://jira.example.com", .invalidURL),
      ("https://", .invalidURL),
    ]
    for (url, rule) in cases {
      #expect(await Self.rule(policy, url) == rule, "\(url)")
    }
    #expect(lookups.hosts.isEmpty)
  }

  @Test func everyAddressANameResolvesToIsChecked() async throws {
    let table = [
      "metadata.example": ["169.254.169.254"], "mixed.example": ["93.184.215.14", "10.0.0.7"],
      "public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
      "internal.example": ["10.0.0.7"],
    ]
    let strict = OutboundPolicy(resolver: .fixed(table))
    #expect(await Self.rule(strict, "https://metadata.example") == OutboundRefusal.Rule.address)
    #expect(await Self.rule(strict, "https://mixed.example") == OutboundRefusal.Rule.address)
    #expect(await Self.rule(strict, "https://nowhere.example") == OutboundRefusal.Rule.unresolvable)
    let target = try await strict.admit("https://public.example/jira")
    #expect(target.pinnedAddress == "93.184.215.14")
    #expect(target.url.rawHost == "public.example")

    var privateAllowed = strict
    privateAllowed.allowPrivate = true
    #expect(try await privateAllowed.admit("https://internal.example").pinnedAddress == "10.0.0.7")
    #expect(
      await Self.rule(privateAllowed, "https://metadata.example") == OutboundRefusal.Rule.address)
    var listed = strict
    listed.allowedNetworks = [IPNetwork(parsing: "10.0.0.0/24")!]
    #expect(try await listed.admit("https://internal.example").pinnedAddress == "10.0.0.7")
    var namedHost = strict
    namedHost.allowedHostNames = ["metadata.example"]
    #expect(try await namedHost.admit("https://metadata.example").pinnedAddress != nil)
  }

  @Test func exclusiveModeRefusesUnlistedNamesBeforeDNS() async throws {
    let lookups = LookupLog()
    let policy = OutboundPolicy(
      allowedHostNames: ["jira.corp"], allowedNetworks: [IPNetwork(parsing: "127.0.0.1")!],
      onlyAllowed: true, resolver: lookups.resolver(["jira.corp": ["10.1.1.1"]]))
    #expect(await Self.rule(policy, "https://www.example.com") == OutboundRefusal.Rule.notListed)
    #expect(await Self.rule(policy, "https://8.8.8.8") == OutboundRefusal.Rule.notListed)
    #expect(lookups.hosts.isEmpty)
    #expect(try await policy.admit("https://jira.corp").pinnedAddress == "10.1.1.1")
    #expect(try await policy.admit("https://127.0.0.1:9").pinnedAddress == nil)
    #expect(lookups.hosts == ["jira.corp"])
  }

  @Test func trustedOriginsAreNotChecked() async throws {
    let policy = OutboundPolicy(resolver: .fixed([:])).trusting(["http://127.0.0.1:4000/"])
    let target = try await policy.admit("http://127.0.0.1:4000/oauth/token")
    #expect(target.pinnedAddress == nil)
    #expect(await Self.rule(policy, "http://127.0.0.1:4001/") == OutboundRefusal.Rule.httpsRequired)
  }

  @Test func aRefusedBaseURLIsNeverConnectedTo() async throws {
    let person: @Sendable (FakeRequest) -> FakeResponse = { _ in .json(#"{"person":{"id":"1"}}"#) }
    try await withFakeServer(person) { server, http in
      let client = try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .teamwork, baseURL: server.baseURL, credentials: .apiKey(key: "k"),
          httpClient: http, outbound: OutboundPolicy(allowHTTP: true)))
      await #expect(throws: TrackerError.self) { _ = try await client.authenticate() }
      do {
        _ = try await client.authenticate()
      } catch let error as TrackerError {
        guard case .outboundRefused(let refusal) = error else {
          Issue.record("expected an outbound refusal, got \(error)")
          return
        }
        #expect(refusal.rule == .address)
        #expect("\(error)".contains("loopback"))
      }
      #expect(server.requests.isEmpty)
    }
  }

  @Test func aNameIsConnectedToAtTheAddressItWasCheckedAt() async throws {
    let person: @Sendable (FakeRequest) -> FakeResponse = { _ in
      .json(#"{"person":{"id":"7","first-name":"Ada"}}"#)
    }
    try await withFakeServer(person) { server, http in
      let port = try #require(URLComponents(string: server.baseURL)?.port)
      // `tracker.test` has no DNS record anywhere: only the pinned address can reach the fake.
      let policy = OutboundPolicy(
        allowedHostNames: ["tracker.test"], allowHTTP: true, onlyAllowed: true,
        resolver: .fixed(["tracker.test": ["127.0.0.1"]]))
      let client = try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .teamwork, baseURL: "http://tracker.test:\(port)", credentials: .apiKey(key: "k"),
          httpClient: http, outbound: policy))
      let account = try await client.authenticate()
      #expect(account.externalId == "7")
      #expect(server.requests.first?.header("Host") == "tracker.test:\(port)")
    }
  }

  @Test func redirectsFromATenantHostAreNotFollowed() async throws {
    let empty: @Sendable (FakeRequest) -> FakeResponse = { _ in .json("{}") }
    try await withFakeServer(empty) { target, http in
      let redirecting: @Sendable (FakeRequest) -> FakeResponse = { _ in
        FakeResponse(
          status: 302, headers: [("Location", target.baseURL + "/latest/meta-data")],
          body: Data())
      }
      try await withFakeServer(redirecting) { server, _ in
        let client = try TrackerRegistry.standard.makeClient(
          TrackerConfiguration(
            type: .teamwork, baseURL: server.baseURL, credentials: .apiKey(key: "k"),
            httpClient: http, outbound: .loopbackOnly()))
        await #expect(throws: TrackerError.self) { _ = try await client.authenticate() }
        #expect(server.requests.count == 1)
        #expect(target.requests.isEmpty)
      }
    }
  }

  @Test func theSystemResolverAnswersFromTheHostsFileAndForLiterals() async {
    // Neither needs DNS: `localhost` is in /etc/hosts, a literal is parsed by getaddrinfo.
    let localhost = await HostResolver.system.resolve("localhost").map(AddressClass.of)
    #expect(!localhost.isEmpty && localhost.allSatisfy { $0 == .loopback })
    #expect(await HostResolver.system.resolve("127.0.0.1") == [[127, 0, 0, 1]])
    #expect(await HostResolver.system.resolve("::1") == [IPAddressBytes.parse("::1")!])
    #expect(IPAddressBytes.format(IPAddressBytes.parse("2001:db8::1")!) == "2001:db8::1")
  }

  /// The rule that refuses `url`, nil when the policy admits it.
  static func rule(_ policy: OutboundPolicy, _ url: String) async -> OutboundRefusal.Rule? {
    do {
      _ = try await policy.admit(url)
      return nil
    } catch {
      return error.rule
    }
  }
}

/// Records which names were looked up.
final class LookupLog: Sendable {
  private let box = NIOLockedValueBox<[String]>([])
  var hosts: [String] { box.withLockedValue { $0 } }

  func resolver(_ table: [String: [String]]) -> HostResolver {
    let fixed = HostResolver.fixed(table)
    let box = self.box
    return HostResolver { host in
      box.withLockedValue { $0.append(host) }
      return await fixed.resolve(host)
    }
  }
}
