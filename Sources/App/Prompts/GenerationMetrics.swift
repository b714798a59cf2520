import Prometheus

/// `prompts_generated_total`, `tokens_processed_total`, the generation latency histogram, and on
/// PostgreSQL the groups generations are stored in.
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

  /// A group of `size` generations stored by one statement (`GenerationGroup`): generations per
  /// group show how much grouping saves.
  func recordGroup(size: Int) {
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "promptsmith", subsystem: "generation", metricName: "groups",
        unitName: "total", helpText: "Groups of generations stored by one statement (PostgreSQL)")
    ).increment()
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "promptsmith", subsystem: "generation", metricName: "grouped",
        unitName: "total", helpText: "Generations stored in those groups")
    ).increment(by: Int64(size))
  }
}
