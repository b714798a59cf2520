import Foundation
import JSONCore

/// Templates as files: `NAME.hbs` holds the body, `NAME.schema.json` the schema and
/// `NAME.meta.json` the rest (`{"maxTokens": N}`), each when there is one. Characters outside `[A-Za-z0-9._-]` are percent-encoded in file names, so that every
/// template name round-trips exactly.
enum TemplateFiles {
  static let bodySuffix = ".hbs"
  static let schemaSuffix = ".schema.json"
  static let metaSuffix = ".meta.json"

  struct Template: Equatable {
    let name: String
    let body: String
    let schema: JSONValue?
    var maxTokens: Int? = nil
  }

  /// `release/v2:fix` → `release%2Fv2%3Afix`.
  static func fileName(for name: String) -> String {
    var encoded = ""
    for byte in name.utf8 {
      if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
      {
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        encoded += String(format: "%%%02X", byte)
      }
    }
    return encoded
  }

  /// The template name a file name stands for; nil when its escapes are malformed.
  static func name(fromFileName file: String) -> String? {
    var bytes: [UInt8] = []
    var index = file.utf8.startIndex
    let utf8 = file.utf8
    while index < utf8.endIndex {
      let byte = utf8[index]
      if byte == UInt8(ascii: "%") {
        let high = utf8.index(after: index)
        guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex else { return nil }
        let low = utf8.index(after: high)
        guard let value = UInt8(String(decoding: utf8[high...low], as: UTF8.self), radix: 16)
        else { return nil }
        bytes.append(value)
        index = utf8.index(after: low)
      } else {
        bytes.append(byte)
        index = utf8.index(after: index)
      }
    }
    return String(validating: bytes, as: UTF8.self)
  }

  /// Writes each template's files into `folder` (created if needed); a template without a
  /// schema has no schema file, and a stale one is removed.
  static func write(_ templates: [Template], to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for template in templates {
      let base = fileName(for: template.name)
      try Data(template.body.utf8).write(
        to: folder.appendingPathComponent(base + bodySuffix), options: .atomic)
      let schemaFile = folder.appendingPathComponent(base + schemaSuffix)
      if let schema = template.schema {
        try Data((schema.prettyJSON + "\n").utf8).write(to: schemaFile, options: .atomic)
      } else if FileManager.default.fileExists(atPath: schemaFile.path) {
        try FileManager.default.removeItem(at: schemaFile)
      }
      let metaFile = folder.appendingPathComponent(base + metaSuffix)
      if let maxTokens = template.maxTokens {
        let meta: JSONValue = ["maxTokens": .number(Double(maxTokens))]
        try Data((meta.prettyJSON + "\n").utf8).write(to: metaFile, options: .atomic)
      } else if FileManager.default.fileExists(atPath: metaFile.path) {
        try FileManager.default.removeItem(at: metaFile)
      }
    }
  }

  /// Every `NAME.hbs` of `folder` with its schema, sorted by name.
  static func read(from folder: URL) throws -> [Template] {
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    var templates: [Template] = []
    for file in files.sorted() where file.hasSuffix(bodySuffix) {
      let base = String(file.dropLast(bodySuffix.count))
      guard let name = name(fromFileName: base), !name.isEmpty else {
        throw ToolFailure("\(file): the name's %-escapes are malformed")
      }
      let bodyData = try Data(contentsOf: folder.appendingPathComponent(file))
      guard let body = String(validating: bodyData, as: UTF8.self) else {
        throw ToolFailure("\(file): not UTF-8 text")
      }
      var schema: JSONValue?
      let schemaPath = folder.appendingPathComponent(base + schemaSuffix).path
      if let data = FileManager.default.contents(atPath: schemaPath) {
        do {
          schema = try JSONValue(parsing: data)
        } catch {
          throw ToolFailure("\(base + schemaSuffix): \(error)")
        }
      }
      var maxTokens: Int?
      if let data = FileManager.default.contents(
        atPath: folder.appendingPathComponent(base + metaSuffix).path)
      {
        let meta: JSONValue
        do {
          meta = try JSONValue(parsing: data)
        } catch {
          throw ToolFailure("\(base + metaSuffix): \(error)")
        }
        guard meta.objectValue != nil else {
          throw ToolFailure("\(base + metaSuffix): must be a JSON object")
        }
        if let value = meta["maxTokens"]?.nonNull {
          guard let number = value.intValue, number >= 1 else {
            throw ToolFailure("\(base + metaSuffix): maxTokens must be a whole number of 1 or more")
          }
          maxTokens = number
        }
      }
      templates.append(Template(name: name, body: body, schema: schema, maxTokens: maxTokens))
    }
    return templates
  }
}
