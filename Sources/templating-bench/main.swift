// Benchmarks for the Templating target (run by scripts/bench-templating.sh in release mode):
// parse+lint of a 20 KB template and rendering of a typical 3 KB template with an issue.
import Foundation
import Templating

func nanoseconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start)
}

func measure(_ label: String, iterations: Int, _ body: () throws -> Void) rethrows {
  for _ in 0..<max(10, iterations / 10) { try body() }  // warm-up
  var samples: [Double] = []
  samples.reserveCapacity(iterations)
  for _ in 0..<iterations { samples.append(try nanoseconds(body)) }
  samples.sort()
  let median = samples[samples.count / 2]
  let p99 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]
  func format(_ ns: Double) -> String {
    ns >= 1_000_000
      ? String(format: "%.3f ms", ns / 1_000_000) : String(format: "%.1f µs", ns / 1_000)
  }
  print("\(label): median \(format(median)), p99 \(format(p99)) (\(iterations) runs)")
}

let typicalTemplate = """
  You are a senior engineer working on {{tracker}} issue {{key}}.

  # {{key}}: {{title}}

  Type: {{type}} · Priority: {{default priority "unset"}} · Status: {{status}} ({{statusCategory}})
  Link: {{url}}

  {{#if description}}
  ## Description

  {{description}}
  {{/if}}

  {{#if criteria}}
  ## Acceptance criteria

  {{criteria}}
  {{else}}
  No acceptance criteria were written. Propose some before coding, as a checklist.
  {{/if}}

  {{#if labels}}
  ## Labels
  {{bullets labels}}
  {{/if}}

  {{#with assignee}}
  The work is assigned to {{name}} <{{email}}>. Address them by first name.
  {{else}}
  Nobody is assigned yet.
  {{/with}}

  ## Context from the team

  {{#each vars.repositories as |repo i|}}
  {{i}}. Repository **{{repo.name}}** ({{repo.language}}){{#if repo.primary}} — primary{{/if}}
     {{truncate repo.summary 120}}
  {{/each}}

  {{#if (or vars.strict (eq priority "Highest"))}}
  Be strict: every change needs tests, and every public function needs documentation.
  {{/if}}

  ## How to work

  Start by reading the issue and the acceptance criteria twice. Restate the goal in one sentence,
  then list what you need to know that the issue does not say. When {{assignee.name}} is unsure
  about a trade-off, present two options with their costs instead of picking one silently.
  {{#if (eq type "Bug")}}
  This is a bug: reproduce it first with a failing test, then fix it, then explain the cause.
  {{else if (eq type "Story")}}
  This is a story: slice it into steps that can each be reviewed and shipped on their own.
  {{else}}
  Treat this {{lower type}} as a small change; keep the diff minimal.
  {{/if}}
  {{#each labels}}
  {{#if (eq this "security")}}
  Security label: think about authentication, authorisation, injection and data exposure.
  {{/if}}
  {{/each}}

  ## Rules
  - Follow the repository's style guide and keep functions short and well named.
  - Never commit secrets, credentials or personal data; redact them from logs as well.
  - Keep the change focused on {{key}}; open a follow-up issue for anything else you notice.
  - Prefer small, reviewable commits with messages that explain why, not only what.
  - If something in the description is ambiguous, list your assumptions before the plan.
  - Write the plan first, then the code, then the tests, then a short summary for the reviewer.
  - Tone: {{default vars.tone "neutral and precise"}}. Language: {{upper (default vars.language "en")}}.

  {{#each vars.checklist}}
  - [ ] {{this}}{{#if @last}} (last){{/if}}
  {{/each}}

  {{#unless vars.skipSummary}}
  End with a summary of at most {{default vars.summaryWords 120}} words for {{assignee.name}}.
  {{/unless}}

  Reply in Markdown. Use headings for the plan, the code changes and the test plan. Mention the
  files you would touch and why, and flag any migration, configuration or deployment step the
  reviewer should know about. Keep the answer under {{default vars.maxWords 800}} words.
  {{json vars.extra}}
  """

let issue = try JSONValue(
  parsing: #"""
    {"key": "PS-42", "title": "Add SSO login", "description": "Users want to sign in with their company account.\n\nSupport SAML and OIDC; keep password login for admins.",
     "criteria": "- Login button on the sign-in page\n- Redirect back to the page the user came from\n- Audit log entry", "status": "In Progress",
     "statusCategory": "indeterminate", "priority": "High", "type": "Story", "labels": ["auth", "backend", "security"],
     "assignee": {"name": "Ada Lovelace", "email": "ada@example.com"}, "url": "https://tracker.example.com/PS-42", "tracker": "jira",
     "vars": {"repositories": [
        {"name": "api", "language": "Swift", "primary": true, "summary": "The Vapor API server with the tracker integrations, the template engine and the job runner."},
        {"name": "web", "language": "TypeScript", "primary": false, "summary": "The single-page application."}],
      "strict": false, "tone": "friendly", "checklist": ["plan", "code", "tests", "docs"], "extra": {"team": "platform", "sprint": 12}}}
    """#)

let schema = try JSONSchema(
  JSONValue(
    parsing: #"""
      {"type": "object", "properties": {"vars": {"type": "object", "properties": {
        "repositories": {"type": "array", "items": {"type": "object", "properties": {
          "name": {"type": "string"}, "language": {"type": "string"}, "primary": {"type": "boolean"},
          "summary": {"type": "string"}}}},
        "strict": {"type": "boolean"}, "tone": {"type": "string"}, "language": {"type": "string"},
        "checklist": {"type": "array", "items": {"type": "string"}}, "skipSummary": {"type": "boolean"},
        "summaryWords": {"type": "integer"}, "maxWords": {"type": "integer"}, "extra": {}}}}}
      """#))

// A 20 KB template: the typical one repeated, each copy in its own section.
var large = ""
var section = 0
while large.utf8.count < 20_000 {
  section += 1
  large += "\n\n<!-- section \(section) -->\n" + typicalTemplate
}

// The typical template as a two-level layout: a base prompt, a section layout inside it and the
// task's own part, which also overrides a section of the base with an inline partial.
func split(_ text: String, at marker: String) -> (String, String) {
  let range = text.range(of: marker)!
  return (String(text[..<range.lowerBound]), String(text[range.lowerBound...]))
}
let (head, rest) = split(typicalTemplate, at: "## Context from the team")
let (middle, tail) = split(rest, at: "## How to work")
let layoutPartials = PartialDictionary([
  "base": head + "{{> @partial-block}}\n{{#> closing}}Reply in Markdown.{{/closing}}\n",
  "section": "{{#> base}}\n" + middle + "{{> @partial-block}}\n{{/base}}\n",
])
let layoutTemplate = try Template.compile(
  "{{#> section}}\n{{#*inline \"closing\"}}\nReply in Markdown, with headings.\n{{/inline}}\n"
    + tail + "{{/section}}\n")
let renderedLayout = try layoutTemplate.render(issue, partials: layoutPartials)
precondition(renderedLayout.contains("with headings") && renderedLayout.contains("## How to work"))

let typical = try Template.compile(typicalTemplate)
let rendered = try typical.render(issue)
precondition(Linter.lint(large, schema: schema).allSatisfy { !$0.isError })

print(
  "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)"
)
print("typical template: \(typicalTemplate.utf8.count) bytes, output \(rendered.utf8.count) bytes")
print("large template: \(large.utf8.count) bytes")
print(
  "layout: \(layoutPartials.sources.values.map(\.utf8.count).reduce(0, +) + layoutTemplate.text.utf8.count) bytes in three templates, output \(renderedLayout.utf8.count) bytes"
)
let only = ProcessInfo.processInfo.environment["TEMPLATING_BENCH_ONLY"]
if only == "render" {
  for _ in 0..<200_000 { _ = try typical.render(issue) }
  exit(0)
}
if only == "layout" {
  for _ in 0..<100_000 { _ = try layoutTemplate.render(issue, partials: layoutPartials) }
  exit(0)
}
if only == "lint" {
  for _ in 0..<1_000 { _ = Linter.lint(large, schema: schema) }
  exit(0)
}
measure("parse+lint 20 KB", iterations: 500) {
  _ = Linter.lint(large, schema: schema)
}
try measure("compile 20 KB", iterations: 500) {
  _ = try Template.compile(large)
}
try measure("render 3 KB with an issue", iterations: 20_000) {
  _ = try typical.render(issue)
}
try measure("render 3 KB two-level layout with an issue", iterations: 20_000) {
  _ = try layoutTemplate.render(issue, partials: layoutPartials)
}
let cache = TemplateCache()
try measure("cache hit + render 3 KB", iterations: 20_000) {
  _ = try cache.compiled(typicalTemplate).render(issue)
}

// Hostile inputs: how long it takes the budgets to refuse them.
let chain = "{{#if a}}" + String(repeating: "{{else if a}}", count: 18_000) + "{{/if}}"
measure("refuse 18,000 else-ifs (compile)", iterations: 20) {
  _ = try? Template.compile(chain)
}
let list = JSONValue.array((0..<1_000).map { .number(Double($0)) })
measure("stop a billion each iterations (render)", iterations: 5) {
  _ = try? Template.render(
    "{{#each l}}{{#each @root.l}}{{#each @root.l}}x{{/each}}{{/each}}{{/each}}",
    context: ["l": list])
}
let keyPattern = try JSONSchema(["type": "string", "pattern": "^[A-Z][A-Z0-9]*-[0-9]+$"])
measure("pattern ^[A-Z][A-Z0-9]*-[0-9]+$ on PS-42", iterations: 20_000) {
  precondition(keyPattern.isValid("PS-42"))
}
let catastrophic = try JSONSchema(["pattern": "^(a+)+$"])
let adversarial = JSONValue.string(String(repeating: "a", count: 100_000) + "!")
measure("pattern ^(a+)+$ on 100,000 a's and !", iterations: 20) {
  precondition(!catastrophic.isValid(adversarial))
}
let counted = try JSONSchema(["pattern": "(.*a){20}"])
let noTwenty = JSONValue.string(
  String(repeating: "a", count: 19) + String(repeating: "b", count: 100_000))
measure("pattern (.*a){20} on 100,000 characters", iterations: 20) {
  precondition(!counted.isValid(noTwenty))
}
let branch: JSONValue = ["properties": ["a": ["$ref": "#"]]]
let doubling = try JSONSchema(["allOf": [branch, branch]])
var deepValue: JSONValue = [:]
for _ in 0..<60 { deepValue = ["a": deepValue] }
measure("validation that doubles per level, stopped by its budget", iterations: 3) {
  precondition(!doubling.isValid(deepValue))
}
