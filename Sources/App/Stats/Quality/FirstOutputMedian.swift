import Foundation

/// The median of seconds to the first output, read from the rollup's histogram
/// (`TemplateVersionFacts`: buckets five to a doubling, each about 15 % wide).
enum FirstOutputMedian {
  /// The middle time (for an even count, the lower of the two middle ones), estimated inside
  /// its bucket by interpolating on a logarithmic scale as if the bucket's times were spread
  /// evenly there: always in the same bucket as the exact value, so within 15 % of it. The
  /// first bucket (under 1.15 s) interpolates linearly from 0; the last (10.7 days or more)
  /// answers its lower bound. Nil when no prompt got an output.
  static func estimate(histogram: [Int]) -> Double? {
    let count = histogram.reduce(0, +)
    guard count > 0 else { return nil }
    let rank = (count + 1) / 2
    var below = 0
    for (bucket, inBucket) in histogram.enumerated() where inBucket > 0 {
      guard below + inBucket >= rank else {
        below += inBucket
        continue
      }
      let fraction = (Double(rank - below) - 0.5) / Double(inBucket)
      let bounds = TemplateVersionFacts.bucketBounds
      if bucket == 0 { return bounds[0] * fraction }
      let low = bounds[bucket - 1]
      guard bucket < bounds.count else { return low }
      return low * pow(bounds[bucket] / low, fraction)
    }
    return nil
  }
}
