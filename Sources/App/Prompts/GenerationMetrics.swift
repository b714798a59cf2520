import Prometheus

/// `prompts_generated_total`, `tokens_processed_total` and the generation latency histogram.
struct GenerationMetrics: Sendable {
  let registry: PrometheusCollectorRegistry

  func recordGeneration(tokens: Int, duration: Duration) {
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        metricName: "prompts_generated", unitName: "total", helpText: "Prompt versions generated")
    ).increment()
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        metricName: "tokens_processed", unitName: "total",
        helpText: "Tokens counted in generated prompts")
    ).increment(by: Int64(tokens))
    registry.makeDurationHistogram(
      descriptor: MetricNameDescriptor(
        metricName: "prompt_generation_duration", unitName: "seconds",
        helpText: "Time to lint, render, count and store a prompt"),
      labels: [], buckets: HTTPMetrics.buckets
    ).record(duration)
  }
}
