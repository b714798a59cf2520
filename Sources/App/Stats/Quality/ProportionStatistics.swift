import Foundation

/// A 95 % interval of a proportion or of a difference of two.
struct ProportionInterval: Equatable, Sendable, Codable {
  let low: Double
  let high: Double
}

/// The intervals behind the acceptance figures.
enum ProportionStatistics {
  /// The normal quantile of a two-sided 95 % interval.
  static let z95 = 1.959_963_984_540_054

  /// The Wilson score interval of `successes` out of `trials` (E. B. Wilson, "Probable
  /// inference, the law of succession, and statistical inference", JASA 22, 1927, 209–212):
  /// `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`. Unlike the textbook `p ± z·√(p(1−p)/n)`
  /// it stays inside [0, 1] and does not collapse to a point at 0 or n successes, which matters
  /// with the few reviews a new version has. Nil without trials.
  static func wilson(successes: Int, trials: Int, z: Double = z95) -> ProportionInterval? {
    guard trials > 0 else { return nil }
    let n = Double(trials)
    let p = Double(successes) / n
    let z2 = z * z
    let denominator = 1 + z2 / n
    let center = (p + z2 / (2 * n)) / denominator
    let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
    return ProportionInterval(low: max(0, center - half), high: min(1, center + half))
  }

  /// The difference `p_b − p_a` of two independent proportions and its interval by Newcombe's
  /// hybrid score method, built from the two Wilson intervals (R. G. Newcombe, "Interval
  /// estimation for the difference between independent proportions: comparison of eleven
  /// methods", Statistics in Medicine 17, 1998, 873–890, method 10):
  /// `low = d − √((p_b − l_b)² + (u_a − p_a)²)`, `high = d + √((u_b − p_b)² + (p_a − l_a)²)`.
  /// Nil when either side has no trials.
  static func difference(
    a: (successes: Int, trials: Int), b: (successes: Int, trials: Int), z: Double = z95
  ) -> (difference: Double, interval: ProportionInterval)? {
    guard let intervalA = wilson(successes: a.successes, trials: a.trials, z: z),
      let intervalB = wilson(successes: b.successes, trials: b.trials, z: z)
    else { return nil }
    let pA = Double(a.successes) / Double(a.trials)
    let pB = Double(b.successes) / Double(b.trials)
    let difference = pB - pA
    let below =
      ((pB - intervalB.low) * (pB - intervalB.low)
      + (intervalA.high - pA) * (intervalA.high - pA)).squareRoot()
    let above =
      ((intervalB.high - pB) * (intervalB.high - pB)
      + (pA - intervalA.low) * (pA - intervalA.low)).squareRoot()
    return (difference, ProportionInterval(low: difference - below, high: difference + above))
  }
}
