"""Cases transcribed from handlebars.js's spec/*.js (v4.x): partial blocks and inline partials.
Expected outputs are not stored here: scripts/gen-templating-fixtures.py renders each case with the real handlebars.js."""

SPEC_CASES = [
    # ---- spec/partials.js, describe('partial blocks') ----
    {"name": "partials.js: partial blocks: should render partial block as default",
     "template": "{{#> dude}}success{{/dude}}",
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should execute default block with proper context",
     "template": "{{#> dude context}}{{value}}{{/dude}}",
     "data": {"context": {"value": "success"}},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should propagate block parameters to default block",
     "template": "{{#with context as |me|}}{{#> dude}}{{me.value}}{{/dude}}{{/with}}",
     "data": {"context": {"value": "success"}},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should not use partial block if partial exists",
     "template": "{{#> dude}}fail{{/dude}}",
     "data": {},
     "partials": {"dude": "success"}},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should render block from partial",
     "template": "{{#> dude}}success{{/dude}}",
     "data": {},
     "partials": {"dude": "{{> @partial-block }}"}},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should be able to render the partial-block twice",
     "template": "{{#> dude}}success{{/dude}}",
     "data": {},
     "partials": {"dude": "{{> @partial-block }} {{> @partial-block }}"}},
    # spec expects: 'success success'
    {"name": "partials.js: partial blocks: should render block from partial with context",
     "template": "{{#> dude}}{{value}}{{/dude}}",
     "data": {"context": {"value": "success"}},
     "partials": {"dude": "{{#with context}}{{> @partial-block }}{{/with}}"}},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should be able to access the @data frame from a partial-block",
     "template": "{{#> dude}}in-block: {{@root/value}}{{/dude}}",
     "data": {"value": "success"},
     "partials": {"dude": "<code>before-block: {{@root/value}} {{>   @partial-block }}</code>"}},
    # spec expects: '<code>before-block: success in-block: success</code>'
    {"name": "partials.js: partial blocks: should allow the #each-helper to be used along with partial-blocks",
     "template": "<template>{{#> list value}}value = {{.}}{{/list}}</template>",
     "data": {"value": ["a", "b", "c"]},
     "partials": {"list": "<list>{{#each .}}<item>{{> @partial-block}}</item>{{/each}}</list>"}},
    # spec expects: '<template><list><item>value = a</item><item>value = b</item><item>value = c</item></list></template>'
    {"name": "partials.js: partial blocks: should render block from partial with context (twice)",
     "template": "{{#> dude}}{{value}}{{/dude}}",
     "data": {"context": {"value": "success"}},
     "partials": {"dude": "{{#with context}}{{> @partial-block }} {{> @partial-block }}{{/with}}"}},
    # spec expects: 'success success'
    # The spec has two `it`s titled 'should render block from partial with context'; this is the second one.
    {"name": "partials.js: partial blocks: should render block from partial with context (2)",
     "template": "{{#> dude}}{{../context/value}}{{/dude}}",
     "data": {"context": {"value": "success"}},
     "partials": {"dude": "{{#with context}}{{> @partial-block }}{{/with}}"}},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should render block from partial with block params",
     "template": "{{#with context as |me|}}{{#> dude}}{{me.value}}{{/dude}}{{/with}}",
     "data": {"context": {"value": "success"}},
     "partials": {"dude": "{{> @partial-block }}"}},
    # spec expects: 'success'
    {"name": "partials.js: partial blocks: should render nested partial blocks",
     "template": "<template>{{#> outer}}{{value}}{{/outer}}</template>",
     "data": {"value": "success"},
     "partials": {
         "outer": "<outer>{{#> nested}}<outer-block>{{> @partial-block}}</outer-block>{{/nested}}</outer>",
         "nested": "<nested>{{> @partial-block}}</nested>",
     }},
    # spec expects: '<template><outer><nested><outer-block>success</outer-block></nested></outer></template>'
    {"name": "partials.js: partial blocks: should render nested partial blocks at different nesting levels",
     "template": "<template>{{#> outer}}{{value}}{{/outer}}</template>",
     "data": {"value": "success"},
     "partials": {
         "outer": "<outer>{{#> nested}}<outer-block>{{> @partial-block}}</outer-block>{{/nested}}{{> @partial-block}}</outer>",
         "nested": "<nested>{{> @partial-block}}</nested>",
     }},
    # spec expects: '<template><outer><nested><outer-block>success</outer-block></nested>success</outer></template>'
    {"name": "partials.js: partial blocks: should render nested partial blocks at different nesting levels (twice)",
     "template": "<template>{{#> outer}}{{value}}{{/outer}}</template>",
     "data": {"value": "success"},
     "partials": {
         "outer": "<outer>{{#> nested}}<outer-block>{{> @partial-block}} {{> @partial-block}}</outer-block>{{/nested}}{{> @partial-block}}+{{> @partial-block}}</outer>",
         "nested": "<nested>{{> @partial-block}}</nested>",
     }},
    # spec expects: '<template><outer><nested><outer-block>success success</outer-block></nested>success+success</outer></template>'
    {"name": "partials.js: partial blocks: should render nested partial blocks (twice at each level)",
     "template": "<template>{{#> outer}}{{value}}{{/outer}}</template>",
     "data": {"value": "success"},
     "partials": {
         "outer": "<outer>{{#> nested}}<outer-block>{{> @partial-block}} {{> @partial-block}}</outer-block>{{/nested}}</outer>",
         "nested": "<nested>{{> @partial-block}}{{> @partial-block}}</nested>",
     }},
    # spec expects: '<template><outer><nested><outer-block>success success</outer-block><outer-block>success success</outer-block></nested></outer></template>'

    # ---- spec/partials.js, describe('inline partials') ----
    {"name": "partials.js: inline partials: should define inline partials for template",
     "template": '{{#*inline "myPartial"}}success{{/inline}}{{> myPartial}}',
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should overwrite multiple partials in the same template",
     "template": '{{#*inline "myPartial"}}fail{{/inline}}{{#*inline "myPartial"}}success{{/inline}}{{> myPartial}}',
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should define inline partials for block",
     "template": '{{#with .}}{{#*inline "myPartial"}}success{{/inline}}{{> myPartial}}{{/with}}',
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should define inline partials for block (2)",
     "template": '{{#with .}}{{#*inline "myPartial"}}success{{/inline}}{{/with}}{{> myPartial}}',
     "data": {},
     "partials": None},
    # spec expects error: /myPartial could not/
    #   (4.x spec text; the newest spec checks /"myPartial" could not/, but 4.7.7's message is
    #    'The partial myPartial could not be found', without quotes)
    {"name": "partials.js: inline partials: should override template partials",
     "template": '{{#*inline "myPartial"}}fail{{/inline}}{{#with .}}{{#*inline "myPartial"}}success{{/inline}}{{> myPartial}}{{/with}}',
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should override partials down the entire stack",
     "template": '{{#with .}}{{#*inline "myPartial"}}success{{/inline}}{{#with .}}{{#with .}}{{> myPartial}}{{/with}}{{/with}}{{/with}}',
     "data": {},
     "partials": None},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should define inline partials for partial call",
     "template": '{{#*inline "myPartial"}}success{{/inline}}{{> dude}}',
     "data": {},
     "partials": {"dude": "{{> myPartial }}"}},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should define inline partials in partial block call",
     "template": '{{#> dude}}{{#*inline "myPartial"}}success{{/inline}}{{/dude}}',
     "data": {},
     "partials": {"dude": "{{> myPartial }}"}},
    # spec expects: 'success'
    {"name": "partials.js: inline partials: should render nested inline partials",
     "template": '{{#*inline "outer"}}{{#>inner}}<outer-block>{{>@partial-block}}</outer-block>{{/inner}}{{/inline}}'
                 '{{#*inline "inner"}}<inner>{{>@partial-block}}</inner>{{/inline}}'
                 '{{#>outer}}{{value}}{{/outer}}',
     "data": {"value": "success"},
     "partials": None},
    # spec expects: '<inner><outer-block>success</outer-block></inner>'
    {"name": "partials.js: inline partials: should render nested inline partials with partial-blocks on different nesting levels",
     "template": '{{#*inline "outer"}}{{#>inner}}<outer-block>{{>@partial-block}}</outer-block>{{/inner}}{{>@partial-block}}{{/inline}}'
                 '{{#*inline "inner"}}<inner>{{>@partial-block}}</inner>{{/inline}}'
                 '{{#>outer}}{{value}}{{/outer}}',
     "data": {"value": "success"},
     "partials": None},
    # spec expects: '<inner><outer-block>success</outer-block></inner>success'
    {"name": "partials.js: inline partials: should render nested inline partials (twice at each level)",
     "template": '{{#*inline "outer"}}{{#>inner}}<outer-block>{{>@partial-block}} {{>@partial-block}}</outer-block>{{/inner}}{{/inline}}'
                 '{{#*inline "inner"}}<inner>{{>@partial-block}}{{>@partial-block}}</inner>{{/inline}}'
                 '{{#>outer}}{{value}}{{/outer}}',
     "data": {"value": "success"},
     "partials": None},
    # spec expects: '<inner><outer-block>success success</outer-block><outer-block>success success</outer-block></inner>'

    # ---- spec/regressions.js, describe('Regressions') ----
    {"name": "regressions.js: Regressions: should support multiple levels of inline partials",
     "template": '{{#> layout}}{{#*inline "subcontent"}}subcontent{{/inline}}{{/layout}}',
     "data": {},
     "partials": {
         "doctype": "doctype{{> content}}",
         "layout": '{{#> doctype}}{{#*inline "content"}}layout{{> subcontent}}{{/inline}}{{/doctype}}',
     }},
    # spec expects: 'doctypelayoutsubcontent'
    {"name": "regressions.js: Regressions: GH-1089: should support failover content in multiple levels of inline partials",
     "template": "{{#> layout}}{{/layout}}",
     "data": {},
     "partials": {
         "doctype": "doctype{{> content}}",
         "layout": '{{#> doctype}}{{#*inline "content"}}layout{{#> subcontent}}subcontent{{/subcontent}}{{/inline}}{{/doctype}}',
     }},
    # spec expects: 'doctypelayoutsubcontent'
    {"name": "regressions.js: Regressions: GH-1099: should support greater than 3 nested levels of inline partials",
     "template": "{{#> layout}}Outer{{/layout}}",
     "data": {},
     "partials": {
         "layout": "{{#> inner}}Inner{{/inner}}{{> @partial-block }}",
         "inner": "",
     }},
    # spec expects: 'Outer'
    {"name": "regressions.js: Regressions: GH-1186: Support block params for existing programs",
     "template": '{{#*inline "test"}}{{> @partial-block }}{{/inline}}'
                 "{{#>test }}{{#each listOne as |item|}}{{ item }}{{/each}}{{/test}}"
                 "{{#>test }}{{#each listTwo as |item|}}{{ item }}{{/each}}{{/test}}",
     "data": {"listOne": ["a"], "listTwo": ["b"]},
     "partials": None},
    # spec expects: 'ab'
    {"name": "regressions.js: Regressions: GH-1341: 4.0.7 release breaks {{#if @partial-block}} usage",
     "template": "template {{>partial}} template",
     "data": {},
     "partials": {
         "partialWithBlock": "{{#if @partial-block}} block {{> @partial-block}} block {{/if}}",
         "partial": "{{#> partialWithBlock}} partial {{/partialWithBlock}}",
     }},
    # spec expects: 'template  block  partial  block  template'
]
