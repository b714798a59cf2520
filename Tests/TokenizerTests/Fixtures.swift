import Foundation

/// Loads the committed fixtures that `scripts/gen-tokenizer-fixtures.py` generates.
enum Fixtures {
  static func url(_ file: String) throws -> URL {
    guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw FixtureError.missing("Fixtures")
    }
    return folder.appendingPathComponent(file)
  }

  static func data(_ file: String) throws -> Data {
    try Data(contentsOf: url(file))
  }

  /// One string of the differential corpus with tiktoken's ids for both encodings.
  struct CorpusCase: Decodable, Sendable {
    let category: String
    let text: String
    let cl100kBase: [Int]
    let o200kBase: [Int]

    enum CodingKeys: String, CodingKey {
      case category, text
      case cl100kBase = "cl100k_base"
      case o200kBase = "o200k_base"
    }
  }

  /// Expected `[count, FNV-1a checksum]` per encoding for one generated string.
  struct Expectation: Decodable, Sendable {
    let cl100kBase: [UInt64]
    let o200kBase: [UInt64]

    enum CodingKeys: String, CodingKey {
      case cl100kBase = "cl100k_base"
      case o200kBase = "o200k_base"
    }
  }

  struct RandomFixture: Decodable, Sendable {
    let seed: UInt64
    let alphabet: [String]
    let maxLength: UInt64
    let cases: [Expectation]
  }

  struct SweepBlock: Decodable, Sendable {
    let first: UInt32
    let last: UInt32
    let cl100kBase: [UInt64]
    let o200kBase: [UInt64]

    enum CodingKeys: String, CodingKey {
      case first, last
      case cl100kBase = "cl100k_base"
      case o200kBase = "o200k_base"
    }
  }

  struct SweepFixture: Decodable, Sendable {
    let blocks: [SweepBlock]
  }

  static let corpus: [CorpusCase] = {
    let text = String(decoding: try! data("corpus.jsonl"), as: UTF8.self)
    let decoder = JSONDecoder()
    return text.split(separator: "\n").map { line in
      try! decoder.decode(CorpusCase.self, from: Data(line.utf8))
    }
  }()

  static let random: RandomFixture = try! JSONDecoder().decode(
    RandomFixture.self, from: data("random.json"))

  static let sweep: SweepFixture = try! JSONDecoder().decode(
    SweepFixture.self, from: data("unicode-sweep.json"))
}

enum FixtureError: Error {
  case missing(String)
}

/// SplitMix64, identical to the generator in `scripts/gen-tokenizer-fixtures.py`.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// FNV-1a over the ids as little-endian 32-bit integers, as in the fixture script.
func checksum(_ ids: [Int]) -> UInt64 {
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  for id in ids {
    let value = UInt32(id)
    for shift in stride(from: 0, to: 32, by: 8) {
      hash = (hash ^ UInt64((value >> UInt32(shift)) & 0xFF)) &* 0x100_0000_01B3
    }
  }
  return hash
}
