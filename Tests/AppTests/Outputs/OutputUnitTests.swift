import Foundation
import NIOCore
import Testing
import Vapor

@testable import App

/// The pipeline's pure parts: type detection, signing, addresses and settings.
@Suite struct OutputUnitTests {
  /// Diffs and Markdown are told by the starts of the first 201 lines (the last with the rest
  /// of the text); Markdown's look skips empty lines.
  @Test func textKindsAreToldByTheirFirstLines() {
    func type(_ text: String) -> String {
      ContentSniffer.detect(ByteBuffer(string: text)).contentType
    }
    let filler = String(repeating: "words\n", count: 199)
    #expect(type("intro\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n") == "text/x-diff; charset=utf-8")
    #expect(type("--- a/x\n+++ b/x\nno hunk\n") == "text/plain; charset=utf-8")
    #expect(type("\n\n\n\n## Heading\n") == "text/markdown; charset=utf-8")
    #expect(type(filler + "x\n- [x] done\n") == "text/markdown; charset=utf-8")
    #expect(type(filler + "x\ny\n- [x] done\n") == "text/plain; charset=utf-8")
    #expect(
      type(String(repeating: "\n", count: 500) + filler + "- [ ] todo")
        == "text/markdown; charset=utf-8")
    #expect(type("") == "text/plain; charset=utf-8")
  }

  /// The scan eight bytes at a time finds a binary control exactly where the byte test does:
  /// every byte value at every offset of a word and of the tail, and random texts with
  /// newlines and tabs.
  @Test func theWordScanFindsBinaryControlsAsTheByteTestDoes() {
    func scans(_ bytes: [UInt8]) -> Bool {
      bytes.withUnsafeBytes(ContentSniffer.containsBinaryControl)
    }
    let text = Array("Some words,\tand a line.\n".utf8)
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47] {
      let base =
        Array(text.prefix(length))
        + Array(repeating: UInt8(ascii: "a"), count: max(0, length - text.count))
      #expect(scans(base) == base.contains(where: ContentSniffer.isBinaryControl))
      for offset in 0..<length {
        for value in UInt8.min...UInt8.max {
          var bytes = base
          bytes[offset] = value
          let expected = bytes.contains(where: ContentSniffer.isBinaryControl)
          if scans(bytes) != expected {
            Issue.record("length \(length), byte \(value) at \(offset): expected \(expected)")
            return
          }
        }
      }
    }
    var generator = SystemRandomNumberGenerator()
    let alphabet: [UInt8] = Array("abc \t\n\r\u{1B}é".utf8) + [0x7F, 0x00, 0x1F, 0x20, 0x80, 0xFF]
    for _ in 0..<2_000 {
      let count = Int.random(in: 0..<200, using: &generator)
      // Mostly text, now and then one byte from the whole alphabet.
      let bytes = (0..<count).map { _ in
        Int.random(in: 0..<20, using: &generator) == 0
          ? alphabet.randomElement(using: &generator)! : text.randomElement(using: &generator)!
      }
      #expect(scans(bytes) == bytes.contains(where: ContentSniffer.isBinaryControl), "\(bytes)")
    }
  }

  @Test func contentIsRecognisedByItsBytes() {
    func detect(_ bytes: [UInt8], _ filename: String? = nil) -> ContentSniffer.Detected {
      ContentSniffer.detect(ByteBuffer(bytes: bytes), filename: filename)
    }
    let accepted: [([UInt8], String?, String)] = [
      (Array("plain words\n".utf8), nil, "text/plain; charset=utf-8"),
      (Array("# Title\n\nBody".utf8), nil, "text/markdown; charset=utf-8"),
      (Array("just text".utf8), "notes.md", "text/markdown; charset=utf-8"),
      (Array(#"{"a": [1, 2]}"#.utf8), nil, "application/json"),
      (
        Array("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n".utf8), nil,
        "text/x-diff; charset=utf-8"
      ),
      (
        Array("func main() {\n\tprint(\"héllo ✓\")\n}\n".utf8), "main.swift",
        "text/plain; charset=utf-8"
      ),
      (Samples.png, nil, "image/png"),
      ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], nil, "image/jpeg"),
      (Array("GIF89a".utf8) + [1, 0, 1, 0], nil, "image/gif"),
      (Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8), nil, "image/webp"),
      (Array("%PDF-1.7\n".utf8), nil, "application/pdf"),
      ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], nil, "application/zip"),
      (Array("MZ is a fine start for text".utf8), nil, "text/plain; charset=utf-8"),
    ]
    for (bytes, filename, type) in accepted {
      let detected = detect(bytes, filename)
      #expect(detected.accepted && detected.contentType == type, "\(type): \(detected)")
    }
    let refused: [([UInt8], String)] = [
      (Samples.elf, "application/x-elf"),
      ([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00], "application/vnd.microsoft.portable-executable"),
      ([0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1], "application/x-mach-binary"),
      (Array("#!/usr/bin/env python3\nprint(1)\n".utf8), "text/x-shellscript"),
      ([0x1F, 0x8B, 8, 0], "application/gzip"),
      ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "application/x-xz"),
      ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "application/x-7z-compressed"),
      (Array("Rar!".utf8) + [0x1A, 0x07, 0], "application/vnd.rar"),
      (
        [UInt8](repeating: 0x61, count: 257) + Array("ustar\0".utf8) + [0x30, 0x30],
        "application/x-tar"
      ),
      ([0x66, 0x6F, 0xFF, 0x6F], "application/octet-stream"),
      ([0x61, 0x00, 0x62], "application/octet-stream"),
    ]
    for (bytes, type) in refused {
      let detected = detect(bytes)
      #expect(!detected.accepted && detected.contentType == type, "\(type): \(detected)")
    }
  }

  /// The GET Object example of AWS's Signature Version 4 documentation.
  @Test func signaturesMatchAWSsPublishedExample() throws {
    let signer = S3Signer(
      accessKeyID: "AKIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    var headers: HTTPHeaders = ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"]
    signer.sign(
      method: "GET", path: "/test.txt", query: [], headers: &headers,
      payloadHash: S3Signer.emptyPayloadHash, date: Date(timeIntervalSince1970: 1_369_353_600))
    #expect(
      headers.first(name: "Authorization")
        == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    #expect(headers.first(name: "x-amz-date") == "20130524T000000Z")
    #expect(S3Signer.canonicalQuery([("prefix", "J"), ("max-keys", "2")]) == "max-keys=2&prefix=J")
    #expect(S3Signer.encodePath("/a b/c~d") == "/a%20b/c~d")
  }

  @Test func clamdRepliesAreRead() throws {
    #expect(try ClamdScanner.verdict("stream: OK") == .clean)
    #expect(
      try ClamdScanner.verdict("stream: eicar.txt.UNOFFICIAL FOUND")
        == .infected(signature: "eicar.txt.UNOFFICIAL"))
    #expect(throws: ScannerUnavailable.self) {
      try ClamdScanner.verdict("INSTREAM size limit exceeded. ERROR")
    }
  }

  @Test func addressesAndStorageURLsAreParsed() throws {
    #expect(
      try ClamdAddress.parse("tcp://127.0.0.1:3310").get() == .tcp(host: "127.0.0.1", port: 3310))
    #expect(try ClamdAddress.parse("tcp://[::1]:3310").get() == .tcp(host: "::1", port: 3310))
    #expect(
      try ClamdAddress.parse("/run/clamav/clamd.ctl").get() == .unix(path: "/run/clamav/clamd.ctl"))
    #expect(try ClamdAddress.parse("unix:///run/c.sock").get() == .unix(path: "/run/c.sock"))
    #expect((try? ClamdAddress.parse("tcp://host").get()) == nil)
    #expect((try? ClamdAddress.parse("clamd:3310").get()) == nil)

    #expect(try StorageLocation.parse("file://./uploads").get() == .file(path: "./uploads"))
    #expect(try StorageLocation.parse("file:///srv/up").get() == .file(path: "/srv/up"))
    let s3 = try StorageLocation.parse(
      "s3://outputs?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=true"
    ).get()
    #expect(
      s3
        == .s3(
          S3Location(
            bucket: "outputs", endpoint: "http://127.0.0.1:9000", region: "eu-west-1",
            pathStyle: true)))
    #expect(
      try StorageLocation.parse("s3://b").get()
        == .s3(
          S3Location(
            bucket: "b", endpoint: "https://s3.us-east-1.amazonaws.com", region: "us-east-1",
            pathStyle: false)))
    #expect((try? StorageLocation.parse("ftp://x").get()) == nil)
    #expect((try? StorageLocation.parse("s3://b?endpoint=ftp://x").get()) == nil)

    #expect(
      BlobKey(sha256: String(repeating: "ab", count: 32))?.path.hasPrefix("ab/ab/abab") == true)
    #expect(BlobKey(sha256: "AB") == nil)
    #expect(BlobKey(path: "ab/cd/" + String(repeating: "ab", count: 32)) == nil)
    #expect(
      OutputRoutes.attachment("résumé \"1\".md")
        == "attachment; filename=\"r_sum_ _1_.md\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.md")
  }

  @Test func scanningIsRequiredInProductionAndWhenClamdIsConfigured() throws {
    var problems: [String] = []
    func settings(_ environment: [String: String], production: Bool = false) -> OutputsSettings {
      OutputsSettings.load(environment: environment, isProduction: production, problems: &problems)
    }
    #expect(settings([:]).clamdRequired == false)
    #expect(settings([:]).storage == .file(path: "./uploads"))
    #expect(settings(["UPLOADS_DIR": "/srv/uploads"]).storage == .file(path: "/srv/uploads"))
    #expect(settings([:], production: true).clamdRequired == true)
    #expect(settings(["CLAMD_URL": "tcp://clamav:3310"]).clamdRequired == true)
    #expect(
      settings(["CLAMD_URL": "tcp://clamav:3310", "CLAMD_REQUIRED": "false"]).clamdRequired
        == false)
    #expect(problems.isEmpty)

    _ = settings([
      "STORAGE_URL": "s3://bucket", "CLAMD_URL": "clamd", "CLAMD_REQUIRED": "maybe",
    ])
    #expect(problems.count == 4)
    for name in ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "CLAMD_URL", "CLAMD_REQUIRED"] {
      #expect(problems.contains { $0.hasPrefix(name) }, "\(name)")
    }
    #expect {
      try AppConfig.load(
        environment: ["JWT_SECRET": String(repeating: "k", count: 40), "STORAGE_URL": "nope"],
        isProduction: false)
    } throws: { "\($0)".contains("STORAGE_URL") }
    let loaded = try AppConfig.load(
      environment: [
        "JWT_SECRET": String(repeating: "k", count: 40), "CLAMD_URL": "tcp://127.0.0.1:3310",
        "DATA_DIR": FileManager.default.temporaryDirectory.path,
        "DATABASE_URL": "sqlite::memory:",
      ], isProduction: false)
    #expect(loaded.clamd == .tcp(host: "127.0.0.1", port: 3310) && loaded.clamdRequired)
  }
}
