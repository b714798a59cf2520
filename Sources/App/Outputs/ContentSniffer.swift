import Foundation
import NIOCore

/// Decides what uploaded bytes are from the bytes themselves, never from the client's
/// `Content-Type`: UTF-8 text and a few document and image formats are accepted, executables,
/// scripts and archives other than ZIP are not.
enum ContentSniffer {
  struct Detected: Sendable, Equatable {
    /// The MIME type stored and served back.
    let contentType: String
    /// A human name for messages ("ELF executable").
    let name: String
    let accepted: Bool
    let isText: Bool
    /// The bytes as text, already validated as UTF-8, when they are accepted text: token
    /// counting takes it rather than copying and validating 100 KB again.
    var text: String? = nil
  }

  static func detect(_ bytes: ByteBuffer, filename: String? = nil) -> Detected {
    let view = bytes.readableBytesView
    let head = Array(view.prefix(512))
    if let binary = binaryType(head, tarProbe: Array(view.prefix(265))) { return binary }
    if head.starts(with: Array("#!".utf8)) {
      return Detected(
        contentType: "text/x-shellscript", name: "script with a #! interpreter line",
        accepted: false, isText: true)
    }
    // Raw pointers: the standard library's fast paths, not a byte-by-byte view walk.
    let text: String? = bytes.withUnsafeReadableBytes { raw in
      String(validating: raw, as: UTF8.self)
    }
    guard let text else {
      return Detected(
        contentType: "application/octet-stream", name: "binary data (not valid UTF-8 text)",
        accepted: false, isText: false)
    }
    let hasControls = bytes.withUnsafeReadableBytes(containsBinaryControl)
    if hasControls {
      return Detected(
        contentType: "application/octet-stream", name: "binary data (control characters)",
        accepted: false, isText: false)
    }
    return textType(text, bytes: bytes, filename: filename)
  }

  /// Whether any byte is a binary control (`isBinaryControl`), eight bytes at a time: a word
  /// with no byte below 0x20 and none equal to 0x7F is passed whole, and only the others (a
  /// text's newlines and tabs, a word in five to ten) are tested byte by byte. Byte by byte
  /// throughout, the test was 2.8 % of the machine's CPU under `POST /outputs` with 100 KB of
  /// text (perf, 2026-12-07).
  static func containsBinaryControl(_ raw: UnsafeRawBufferPointer) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    var index = 0
    while index + 8 <= raw.count {
      let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      // Exact for "some byte is": a byte below 0x20, and a byte that is 0x7F (zero after
      // the exclusive or). Which byte, the carries may blur: the bytes themselves decide.
      let below0x20 = (word &- ones &* 0x20) & ~word & highBits
      let delete = word ^ (ones &* 0x7F)
      let isDelete = (delete &- ones) & ~delete & highBits
      if below0x20 | isDelete != 0 {
        for offset in index..<index + 8 where isBinaryControl(raw[offset]) { return true }
      }
      index += 8
    }
    return raw[index...].contains(where: isBinaryControl)
  }

  /// Tab, newline, vertical tab, form feed, carriage return and escape (terminal colours): any
  /// other C0 control, or DEL, marks binary data.
  /// A comparison, not a lookup in a static table: each access to a static goes through
  /// `swift_once`, 4.6 % of the server's CPU on `POST /outputs` with 100 KB of text when this was
  /// a table (perf, 2026-11-26).
  @inline(__always)
  static func isBinaryControl(_ byte: UInt8) -> Bool {
    if byte >= 0x20 { return byte == 0x7F }
    return !(0x09...0x0D).contains(byte) && byte != 0x1B
  }

  /// Text kinds: JSON (it parses), a unified diff, Markdown (by name or by look), else plain.
  private static func textType(_ text: String, bytes: ByteBuffer, filename: String?) -> Detected {
    let trimmed = text.drop { $0.isWhitespace }
    let lowerName = filename?.lowercased() ?? ""
    if trimmed.first == "{" || trimmed.first == "[",
      (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) != nil
    {
      return Detected(
        contentType: "application/json", name: "JSON", accepted: true, isText: true, text: text)
    }
    if lowerName.hasSuffix(".diff") || lowerName.hasSuffix(".patch") || looksLikeDiff(text) {
      return Detected(
        contentType: "text/x-diff; charset=utf-8", name: "diff", accepted: true, isText: true,
        text: text)
    }
    if lowerName.hasSuffix(".md") || lowerName.hasSuffix(".markdown") || looksLikeMarkdown(text) {
      return Detected(
        contentType: "text/markdown; charset=utf-8", name: "Markdown", accepted: true,
        isText: true, text: text)
    }
    return Detected(
      contentType: "text/plain; charset=utf-8", name: "text", accepted: true, isText: true,
      text: text)
  }

  private static func looksLikeDiff(_ text: String) -> Bool {
    if text.hasPrefix("diff --git ") { return true }
    let markers = ["--- ", "+++ ", "@@ "].map { Array($0.utf8) }
    var found = [false, false, false]
    forEachOfFirstLines(of: text, omittingEmpty: false) { line in
      for (index, marker) in markers.enumerated() where !found[index] {
        found[index] = line.starts(with: marker)
      }
      return !found.allSatisfy { $0 }
    }
    return found.allSatisfy { $0 }
  }

  private static func looksLikeMarkdown(_ text: String) -> Bool {
    let markers = ["# ", "## ", "### ", "```", "- [ ] ", "- [x] "].map { Array($0.utf8) }
    var found = false
    forEachOfFirstLines(of: text, omittingEmpty: true) { line in
      found = markers.contains { line.starts(with: $0) }
      return !found
    }
    return found
  }

  /// Calls `body` with each of the first 201 lines (the 201st with the rest of the text), split
  /// on `\n` bytes, until it returns false. Walking `Character`s (grapheme clusters) was 9 % of
  /// `POST /outputs` with 100 KB of text (perf, 2026-11-26), and splitting the bytes into an
  /// array of lines twice 3 % (perf, 2026-12-07).
  private static func forEachOfFirstLines(
    of text: String, omittingEmpty: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
  ) {
    var text = text
    text.withUTF8 { bytes in
      var start = 0
      var lines = 0
      while start <= bytes.count && lines <= 200 {
        let end =
          lines == 200
          ? bytes.count : (bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count)
        if end > start || !omittingEmpty {
          lines += 1
          guard body(UnsafeBufferPointer(rebasing: bytes[start..<end])) else { return }
        }
        start = end + 1
      }
    }
  }

  private static func binaryType(_ head: [UInt8], tarProbe: [UInt8]) -> Detected? {
    func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
      head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
    }
    func accepted(_ type: String, _ name: String) -> Detected {
      Detected(contentType: type, name: name, accepted: true, isText: false)
    }
    func refused(_ type: String, _ name: String) -> Detected {
      Detected(contentType: type, name: name, accepted: false, isText: false)
    }
    if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
      return accepted("image/png", "PNG image")
    }
    if starts([0xFF, 0xD8, 0xFF]) { return accepted("image/jpeg", "JPEG image") }
    if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
      return accepted("image/gif", "GIF image")
    }
    if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) {
      return accepted("image/webp", "WebP image")
    }
    if starts(Array("%PDF-".utf8)) { return accepted("application/pdf", "PDF document") }
    if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
      return accepted("application/zip", "ZIP archive")
    }
    if starts([0x7F, 0x45, 0x4C, 0x46]) { return refused("application/x-elf", "ELF executable") }
    // A DOS header always holds zero bytes; text starting with "MZ" never does.
    if starts([0x4D, 0x5A]) && head.prefix(64).contains(0) {
      return refused("application/vnd.microsoft.portable-executable", "PE (Windows) executable")
    }
    for magic: [UInt8] in [
      [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF], [0xCE, 0xFA, 0xED, 0xFE],
      [0xCF, 0xFA, 0xED, 0xFE],
    ] where starts(magic) {
      return refused("application/x-mach-binary", "Mach-O executable")
    }
    if starts([0xCA, 0xFE, 0xBA, 0xBE]) {
      return refused("application/x-mach-binary", "Mach-O universal binary or Java class")
    }
    if starts([0x00, 0x61, 0x73, 0x6D]) {
      return refused("application/wasm", "WebAssembly module")
    }
    if starts([0x1F, 0x8B]) { return refused("application/gzip", "gzip archive") }
    if starts(Array("BZh".utf8))
      && (starts([0x31, 0x41, 0x59, 0x26, 0x53, 0x59], at: 4)
        || starts([0x17, 0x72, 0x45, 0x38, 0x50, 0x90], at: 4))
    {
      return refused("application/x-bzip2", "bzip2 archive")
    }
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
      return refused("application/x-xz", "xz archive")
    }
    if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
      return refused("application/x-7z-compressed", "7-Zip archive")
    }
    if starts(Array("Rar!".utf8) + [0x1A, 0x07]) {
      return refused("application/vnd.rar", "RAR archive")
    }
    if starts([0x28, 0xB5, 0x2F, 0xFD]) { return refused("application/zstd", "Zstandard archive") }
    if starts(Array("!<arch>\n".utf8)) { return refused("application/x-archive", "ar archive") }
    if starts([0xED, 0xAB, 0xEE, 0xDB]) { return refused("application/x-rpm", "RPM package") }
    if starts(Array("MSCF".utf8) + [0, 0, 0, 0]) {
      return refused("application/vnd.ms-cab-compressed", "Cabinet archive")
    }
    if tarProbe.count >= 262, Array(tarProbe[257..<262]) == Array("ustar".utf8) {
      return refused("application/x-tar", "tar archive")
    }
    return nil
  }
}
