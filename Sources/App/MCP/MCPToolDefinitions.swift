import Templating

/// The tools' names, descriptions and input schemas, written for a model to read.
enum MCPToolDefinitions {
  static let listMyIssues = Definition(
    name: "list_my_issues", title: "List my issues", readOnly: true,
    description: """
      Lists the issues assigned to the current user in the team's trackers (Jira, Teamwork), \
      most recently updated first. Use it to find the key of the issue the user is working on; \
      then call get_issue for its full description or generate_prompt to turn it into a prompt.
      """,
    schema: """
      {"type":"object","additionalProperties":false,"properties":{
        "status":{"type":"string","enum":["open","todo","in_progress","done"],"default":"open",
          "description":"open (the default) means to do or in progress."},
        "query":{"type":"string","maxLength":200,
          "description":"An issue key (PS-42) or words from the title."},
        "limit":{"type":"integer","minimum":1,"maximum":100,"default":25,
          "description":"How many issues to return at most."}}}
      """)

  static let getIssue = Definition(
    name: "get_issue", title: "Get an issue", readOnly: true,
    description: """
      Returns one issue as Markdown: title, status, assignee, description and acceptance \
      criteria. Any issue of the user's company can be read, not only their own.
      """,
    schema: """
      {"type":"object","additionalProperties":false,"required":["key"],"properties":{
        "key":{"type":"string","minLength":1,"maxLength":100,
          "description":"The issue key as the tracker shows it, e.g. PS-42."},
        "tracker":{"type":"string","maxLength":200,
          "description":"The tracker's name or id; needed only when several trackers use the key."}}}
      """)

  static let listTemplates = Definition(
    name: "list_templates", title: "List prompt templates", readOnly: true,
    description: """
      Lists the team's prompt templates with their current version and the variables each \
      accepts (name, type, whether required, default). Pick one for generate_prompt.
      """,
    schema: #"{"type":"object","additionalProperties":false,"properties":{}}"#)

  static let generatePrompt = Definition(
    name: "generate_prompt", title: "Generate a prompt", readOnly: false,
    description: """
      Renders a team template with an issue into a prompt and records it as an immutable prompt \
      version (with its exact token count). Use the returned prompt text as your instructions, \
      and pass the returned promptVersionId to submit_output with your result.
      """,
    schema: """
      {"type":"object","additionalProperties":false,"required":["issueKey","template"],
       "properties":{
        "issueKey":{"type":"string","minLength":1,"maxLength":100,
          "description":"The issue key, e.g. PS-42."},
        "template":{"type":"string","minLength":1,"maxLength":200,
          "description":"The template's name or id, from list_templates."},
        "vars":{"type":"object",
          "description":"Values for the template's variables, as list_templates describes them."},
        "templateVersion":{"type":"integer","minimum":1,
          "description":"A past version of the template; by default the production label's, else the latest."},
        "templateLabel":{"type":"string","pattern":"^[a-z][a-z0-9-]{0,31}$",
          "description":"A label of the template (production, staging, latest…); not with templateVersion."},
        "allowOverBudget":{"type":"boolean",
          "description":"Generate even when the prompt is over the template's token budget."},
        "tracker":{"type":"string","maxLength":200,
          "description":"The tracker's name or id; needed only when several trackers use the key."}}}
      """)

  static let submitOutput = Definition(
    name: "submit_output", title: "Submit output", readOnly: false,
    description: """
      Records what you produced from a prompt (code, a plan, a review) and links it to the \
      prompt version it answers. Identical content is stored once; the result says whether it \
      was already there.
      """,
    schema: """
      {"type":"object","additionalProperties":false,"required":["promptVersionId","text"],
       "properties":{
        "promptVersionId":{"type":"string","pattern":"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
          "description":"The promptVersionId that generate_prompt returned."},
        "text":{"type":"string","minLength":1,"description":"The output, as text (at most 5 MiB)."}}}
      """)

  static let reviewOutput = Definition(
    name: "review_output", title: "Review output", readOnly: false,
    description: """
      Reports how an output turned out: accepted, changes_requested or rejected, with a comment \
      and links to where the work went (a pull request, a commit). Replaces the output's \
      previous review. Only the output's author, or a lead or admin, may review it.
      """,
    schema: """
      {"type":"object","additionalProperties":false,"required":["outputId","verdict"],
       "properties":{
        "outputId":{"type":"string","pattern":"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
          "description":"The outputId that submit_output returned."},
        "verdict":{"type":"string","enum":["accepted","changes_requested","rejected"]},
        "comment":{"type":"string","maxLength":10000},
        "links":{"type":"array","maxItems":20,"items":{"type":"string","maxLength":2000},
          "description":"http(s) URLs of where the work went; shown, never fetched."}}}
      """)

  static let all = [
    listMyIssues, getIssue, listTemplates, generatePrompt, submitOutput, reviewOutput,
  ]

  struct Definition: Sendable {
    let name: String
    let title: String
    let readOnly: Bool
    let description: String
    let schema: JSONValue
    let validator: JSONSchema

    init(name: String, title: String, readOnly: Bool, description: String, schema: String) {
      self.name = name
      self.title = title
      self.readOnly = readOnly
      self.description = description
      // The schemas are literals of this file; a broken one fails every MCP test at once.
      self.schema = try! JSONValue(parsing: schema)
      self.validator = try! JSONSchema(self.schema)
    }
  }
}
