import Foundation

/// Whether version b's outputs are accepted more often than version a's.
///
/// The test: Newcombe's 95 % interval of the difference of the two acceptance rates (see
/// `ProportionStatistics.difference`). An interval wholly above zero says b is better, wholly
/// below says a is; one that holds zero says the data show no difference. Below
/// `minimumSample` reviewed outputs on either side the verdict is `not_enough_data`: the
/// interval would still be valid, but about ±0.25 wide, and a lead looking every day would
/// read a verdict into the first lucky streak.
enum TemplateComparison {
  static let minimumSample = 30

  static func compare(templateID: UUID, a: TemplateVersionQuality, b: TemplateVersionQuality)
    -> TemplateComparisonResponse
  {
    let difference = ProportionStatistics.difference(
      a: (a.accepted, a.reviewed), b: (b.accepted, b.reviewed))
    let subtract = { (x: Double?, y: Double?) -> Double? in
      guard let x, let y else { return nil }
      return y - x
    }
    return TemplateComparisonResponse(
      templateId: templateID.lowercasedText, a: a, b: b,
      rateDifference: difference?.difference, differenceInterval: difference?.interval,
      tokenDifference: .init(
        meanPromptTokens: subtract(a.meanPromptTokens, b.meanPromptTokens),
        meanOutputTokens: subtract(a.meanOutputTokens, b.meanOutputTokens)),
      sampleSizes: .init(a: a.reviewed, b: b.reviewed), minimumSample: minimumSample,
      verdict: verdict(sampleSizes: (a.reviewed, b.reviewed), interval: difference?.interval))
  }

  static func verdict(sampleSizes: (a: Int, b: Int), interval: ProportionInterval?) -> String {
    guard min(sampleSizes.a, sampleSizes.b) >= minimumSample, let interval else {
      return "not_enough_data"
    }
    if interval.low > 0 { return "b_better" }
    if interval.high < 0 { return "a_better" }
    return "no_difference"
  }
}
