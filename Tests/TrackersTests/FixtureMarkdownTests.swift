import Foundation
import Testing

@testable import Trackers

/// Expected Markdown for every rich-text value in the shared fixtures.
@Suite struct FixtureMarkdownTests {
  @Test(arguments: ["search-jql-page-1", "search-jql-page-2"])
  func jiraCloudADF(page: String) throws {
    let json = Fixtures.json("jira-cloud/\(page).json")
    for issue in json["issues"]?.array ?? [] {
      let key = try #require(issue["key"]?.string)
      let fields = issue["fields"]
      expectMarkdown(
        ADFConverter.markdown(from: fields?["description"]), matches: "\(key).description")
      let criteria = ADFConverter.markdown(from: fields?["customfield_10047"])
      if !criteria.isEmpty { expectMarkdown(criteria, matches: "\(key).criteria") }
    }
  }

  @Test func jiraDataCenterWiki() throws {
    let json = Fixtures.json("jira-dc/search-v2-page.json")
    for issue in json["issues"]?.array ?? [] {
      let key = try #require(issue["key"]?.string)
      let fields = issue["fields"]
      expectMarkdown(
        WikiMarkupConverter.markdown(from: fields?["description"]?.string),
        matches: "\(key).description")
      expectMarkdown(
        WikiMarkupConverter.markdown(from: fields?["customfield_10500"]?.string),
        matches: "\(key).criteria")
    }
  }

  @Test(arguments: ["tasks-page-1", "tasks-page-2"])
  func teamworkDescriptions(page: String) throws {
    let json = Fixtures.json("teamwork/\(page).json")
    for task in json["tasks"]?.array ?? [] {
      let id = try #require(task["id"]?.idString)
      let markdown = RichText.teamworkMarkdown(
        task["description"]?.string, contentType: task["descriptionContentType"]?.string)
      expectMarkdown(markdown, matches: "teamwork-\(id).description")
    }
  }
}
