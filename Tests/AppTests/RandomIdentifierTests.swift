import Foundation
import Testing

@testable import App

@Suite struct RandomIdentifierTests {
  private func bytes(_ id: UUID) -> [UInt8] {
    withUnsafeBytes(of: id.uuid) { Array($0) }
  }

  @Test func versionSevenCarriesTheMillisecondsTheVersionAndTheVariant() {
    let now = Date(timeIntervalSince1970: 1_796_000_000.123)
    let id = bytes(UUID.v7(now: now))
    let milliseconds = id[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    #expect(milliseconds == 1_796_000_000_123)
    #expect(id[6] >> 4 == 7)
    #expect(id[8] >> 6 == 0b10)
  }

  @Test func versionFourCarriesTheVersionAndTheVariant() {
    for _ in 0..<100 {
      let id = bytes(UUID.random())
      #expect(id[6] >> 4 == 4)
      #expect(id[8] >> 6 == 0b10)
    }
  }

  /// Eight threads take 20,000 identifiers each: the pool is refilled hundreds of times, under
  /// contention, and no bytes are handed out twice.
  @Test func identifiersFromManyThreadsAreDistinct() async {
    let batches = await withTaskGroup(of: [UUID].self) { group in
      for thread in 0..<8 {
        group.addTask {
          (0..<20_000).map { index in
            (thread + index).isMultiple(of: 2) ? UUID.v7() : UUID.random()
          }
        }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    let all = batches.flatMap { $0 }
    #expect(Set(all).count == all.count)
  }

  /// The random part is not constant or zero and uses every bit: a broken fill (a slice of the
  /// pool handed out again, bytes never written) would show here.
  @Test func theRandomBitsVary() {
    var ored = [UInt8](repeating: 0, count: 16)
    var anded = [UInt8](repeating: 0xFF, count: 16)
    for _ in 0..<1_000 {
      let id = bytes(UUID.random())
      for index in 0..<16 {
        ored[index] |= id[index]
        anded[index] &= id[index]
      }
    }
    for index in 0..<16 where index != 6 && index != 8 {
      #expect(ored[index] == 0xFF && anded[index] == 0, "byte \(index)")
    }
  }
}
