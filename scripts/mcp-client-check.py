#!/usr/bin/env python3
"""Drives Promptsmith's /mcp endpoint with the official Python MCP SDK (PyPI `mcp`), as an
independent second client beside the swift-sdk's. Run by Tests/AppTests/MCP against a server
seeded with the MCP fixture: usage `mcp-client-check.py URL TOKEN`. Prints one line per check
and exits non-zero on the first failure."""

import asyncio
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client
from mcp.shared.exceptions import McpError
from mcp.types import Implementation, TextContent


def check(condition, message):
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)
    print(f"ok: {message}")


def text(result):
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


async def main(url, token):
    headers = {"Authorization": f"Bearer {token}"}
    async with streamablehttp_client(url, headers=headers) as (read, write, session_id):
        client_info = Implementation(name="cursor", version="1.7.2")
        async with ClientSession(read, write, client_info=client_info) as session:
            initialized = await session.initialize()
            check(initialized.serverInfo.name == "promptsmith", "initialize names the server")
            check((session_id() or "").startswith("ps1."), "the session id carries the client")

            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            check(
                set(tools) == {"list_my_issues", "get_issue", "list_templates",
                               "generate_prompt", "submit_output", "review_output"},
                "six tools listed")
            check("issueKey" in tools["generate_prompt"].inputSchema["properties"],
                  "generate_prompt declares issueKey")

            mine = await session.call_tool("list_my_issues", {})
            check(not mine.isError and "PS-1" in text(mine), "list_my_issues finds PS-1")
            issue = await session.call_tool("get_issue", {"key": "PS-1"})
            check("## Acceptance criteria" in text(issue), "get_issue returns Markdown")
            listed = await session.call_tool("list_templates", {})
            check("implement" in text(listed), "list_templates lists implement")

            generated = await session.call_tool(
                "generate_prompt",
                {"issueKey": "PS-1", "template": "implement", "vars": {"tests": True}})
            check(not generated.isError, "generate_prompt succeeds")
            version_id = generated.structuredContent["promptVersionId"]
            check(generated.structuredContent["tokens"] > 0, "the prompt has a token count")

            refused = await session.call_tool(
                "generate_prompt", {"issueKey": "PS-1", "template": "implement", "vars": {}})
            check(refused.isError and "422" in text(refused) and "tests" in text(refused),
                  f"a missing variable is a tool error naming it: {text(refused)!r}")

            submitted = await session.call_tool(
                "submit_output", {"promptVersionId": version_id, "text": "from python"})
            check(not submitted.isError and submitted.structuredContent["outputId"],
                  "submit_output records the output")
            reviewed = await session.call_tool(
                "review_output",
                {"outputId": submitted.structuredContent["outputId"], "verdict": "accepted",
                 "links": ["https://github.com/acme/shop/pull/42"]})
            check(not reviewed.isError and reviewed.structuredContent["verdict"] == "accepted",
                  f"review_output records the verdict: {text(reviewed)!r}")

            prompts = (await session.list_prompts()).prompts
            check(any(p.name == "implement" for p in prompts), "the template is a prompt")
            rendered = await session.get_prompt(
                "implement", {"issue": "PS-1", "tests": "true", "language": "go"})
            check("Write tests in go" in rendered.messages[0].content.text,
                  "prompts/get renders with typed arguments")

            resources = (await session.list_resources()).resources
            check(any(str(r.uri) == "promptsmith://issues/PS-1" for r in resources),
                  "open assigned issues are resources")
            read = await session.read_resource("promptsmith://issues/PS-1")
            check("# PS-1" in read.contents[0].text, "a resource reads as Markdown")
            try:
                await session.read_resource("promptsmith://issues/NOPE-404")
                check(False, "an unknown resource is an error")
            except McpError:
                check(True, "an unknown resource is an error")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
    print("python MCP client: all checks passed")
