// Measures the Tokenizer target for scripts/bench-tokenizer.sh: vocabulary load time and
// memory, then encoding throughput on the given input files. Prints one JSON object per line.
//
// usage: tokenizer-bench [--seconds S] FILE...
import Foundation
import Tokenizer

/// Resident set size of this process in bytes, from /proc (Linux).
func residentBytes() -> Int {
  guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return 0
  }
  let fields = statm.split(separator: " ")
  return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

func now() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

func printJSON(_ object: [String: Any]) {
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seconds = 2.0
if let index = arguments.firstIndex(of: "--seconds"), index + 1 < arguments.count {
  seconds = Double(arguments[index + 1]) ?? seconds
  arguments.removeSubrange(index...(index + 1))
}
let inputs = arguments.map { path in
  (path, try! String(contentsOfFile: path, encoding: .utf8))
}

for name in EncodingName.allCases {
  let rssBefore = residentBytes()
  let start = now()
  let encoding = try Encoding.named(name)
  let vocabularySeconds = now() - start
  _ = encoding.count("warm up the character tables: Aa1 \u{00E9}\u{4E2D}")
  let loadSeconds = now() - start
  printJSON([
    "kind": "load", "encoding": name.rawValue, "ms": loadSeconds * 1000,
    "vocabularyMs": vocabularySeconds * 1000,
    "tableBytes": encoding.vocabularyMemory, "rssDeltaBytes": residentBytes() - rssBefore,
  ])

  for (path, text) in inputs {
    let bytes = text.utf8.count
    var tokens = 0
    var best = Double.infinity
    let deadline = now() + seconds
    var runs = 0
    repeat {
      let runStart = now()
      tokens = encoding.encode(text).count
      best = min(best, now() - runStart)
      runs += 1
    } while now() < deadline || runs < 3
    printJSON([
      "kind": "encode", "encoding": name.rawValue, "input": path, "bytes": bytes,
      "tokens": tokens, "runs": runs, "bestSeconds": best,
      "mbPerSecond": Double(bytes) / best / 1e6,
    ])
  }
}
