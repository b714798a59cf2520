// Templates render and schemas validate JSONCore's values: whoever imports Templating works
// with them.
@_exported import JSONCore
