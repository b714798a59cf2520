import Foundation
import Testing

@testable import App

/// The acceptance intervals, the comparison's verdict and the median's estimate, against
/// references computed here another way.
@Suite struct ProportionStatisticsTests {
  /// Wilson's interval is the set of p for which |p̂ − p| ≤ z·√(p(1 − p)/n) (Wilson 1927):
  /// the roots of (1 + z²/n)·p² − (2p̂ + z²/n)·p + p̂² = 0, solved here as a quadratic rather
  /// than through the closed form the code uses.
  @Test(arguments: [
    (0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (81, 263), (1, 2_000), (997, 1_000),
  ])
  func wilsonIsTheScoreTestsQuadraticRoots(_ successes: Int, _ trials: Int) throws {
    let z = ProportionStatistics.z95
    let n = Double(trials)
    let p = Double(successes) / n
    let a = 1 + z * z / n
    let b = -(2 * p + z * z / n)
    let c = p * p
    let root = (b * b - 4 * a * c).squareRoot()
    let interval = try #require(ProportionStatistics.wilson(successes: successes, trials: trials))
    #expect(abs(interval.low - (-b - root) / (2 * a)) < 1e-12)
    #expect(abs(interval.high - (-b + root) / (2 * a)) < 1e-12)
    #expect(ProportionStatistics.wilson(successes: 0, trials: 0) == nil)
  }

  /// Newcombe (1998) tabulates his examples; 81/263 is from his companion paper on the single
  /// proportion (Statistics in Medicine 17, 857–872): Wilson 0.2553 to 0.3662.
  @Test func theIntervalsMatchNewcombesPublishedExamples() throws {
    let single = try #require(ProportionStatistics.wilson(successes: 81, trials: 263))
    #expect(abs(single.low - 0.2553) < 5e-5 && abs(single.high - 0.3662) < 5e-5)
    // Example (a), 56/70 against 48/80: difference 0.2, method 10 gives 0.0524 to 0.3339.
    let compared = try #require(
      ProportionStatistics.difference(a: (48, 80), b: (56, 70)))
    #expect(abs(compared.difference - 0.2) < 1e-12)
    #expect(abs(compared.interval.low - 0.0524) < 5e-5)
    #expect(abs(compared.interval.high - 0.3339) < 5e-5)
  }

  @Test func theVerdictWaitsForTheMinimumSampleThenReadsTheInterval() {
    let above = ProportionInterval(low: 0.01, high: 0.3)
    let below = ProportionInterval(low: -0.3, high: -0.01)
    let across = ProportionInterval(low: -0.1, high: 0.1)
    let minimum = TemplateComparison.minimumSample
    #expect(
      TemplateComparison.verdict(sampleSizes: (minimum - 1, 500), interval: above)
        == "not_enough_data")
    #expect(
      TemplateComparison.verdict(sampleSizes: (500, minimum - 1), interval: below)
        == "not_enough_data")
    #expect(
      TemplateComparison.verdict(sampleSizes: (minimum, minimum), interval: nil)
        == "not_enough_data")
    #expect(
      TemplateComparison.verdict(sampleSizes: (minimum, minimum), interval: above) == "b_better")
    #expect(
      TemplateComparison.verdict(sampleSizes: (minimum, minimum), interval: below) == "a_better")
    #expect(
      TemplateComparison.verdict(sampleSizes: (minimum, minimum), interval: across)
        == "no_difference")
    // A tie: equal rates on large samples show no difference.
    let tie = ProportionStatistics.difference(a: (60, 100), b: (60, 100))
    #expect(tie?.difference == 0)
    #expect(
      TemplateComparison.verdict(sampleSizes: (100, 100), interval: tie?.interval)
        == "no_difference")
  }

  /// The estimate lies in the exact median's bucket, for spreads from one bucket to all.
  @Test(arguments: [1, 2, 3, 10, 101, 1_000])
  func theMedianEstimateIsInTheExactMediansBucket(_ count: Int) throws {
    var generator = TemplateQualityTests.SplitMix(seed: UInt64(count))
    for spread in [0.0, 2, 10, 1_000_000, 100_000_000] {
      let seconds = (0..<count).map { _ in 0.2 + spread * generator.unit() }
      var histogram = [Int](repeating: 0, count: TemplateVersionFacts.bucketCount)
      for value in seconds { histogram[TemplateVersionFacts.bucket(ofSeconds: value)] += 1 }
      let exact = seconds.sorted()[(count - 1) / 2]
      let estimate = try #require(FirstOutputMedian.estimate(histogram: histogram))
      #expect(
        TemplateVersionFacts.bucket(ofSeconds: estimate)
          == TemplateVersionFacts.bucket(ofSeconds: exact), "\(count) \(spread)")
      if exact < TemplateVersionFacts.bucketBounds.last! {
        #expect(abs(estimate / exact - 1) < 0.15 || exact < 1.15, "\(count) \(spread)")
      }
    }
    #expect(FirstOutputMedian.estimate(histogram: [Int](repeating: 0, count: 100)) == nil)
  }
}
