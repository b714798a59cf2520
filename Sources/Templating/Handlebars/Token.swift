/// A token of the Handlebars grammar (handlebars.js `handlebars.l`).
struct Token: Sendable {
  enum Kind: Sendable, Equatable {
    case content, comment
    case openRawBlock, closeRawBlock
    case openPartial, openPartialBlock, openBlock, openEndBlock
    case inverse, openInverse, openInverseChain
    case openUnescaped, open, openSexpr, closeSexpr
    case equals, id, sep, closeUnescaped, close
    case string, data, boolean, undefined, null, number
    case openBlockParams, closeBlockParams
    case invalid, eof
  }

  var kind: Kind
  /// Byte offsets into the template's UTF-8.
  var start: Int
  var end: Int
  /// Processed text: content, identifier, unescaped string; raw text for tags.
  var text: String

  /// Human name as in handlebars.js' parse errors.
  var displayName: String {
    switch kind {
    case .content: return "CONTENT"
    case .comment: return "COMMENT"
    case .openRawBlock: return "OPEN_RAW_BLOCK"
    case .closeRawBlock: return "CLOSE_RAW_BLOCK"
    case .openPartial: return "OPEN_PARTIAL"
    case .openPartialBlock: return "OPEN_PARTIAL_BLOCK"
    case .openBlock: return "OPEN_BLOCK"
    case .openEndBlock: return "OPEN_ENDBLOCK"
    case .inverse: return "INVERSE"
    case .openInverse: return "OPEN_INVERSE"
    case .openInverseChain: return "OPEN_INVERSE_CHAIN"
    case .openUnescaped: return "OPEN_UNESCAPED"
    case .open: return "OPEN"
    case .openSexpr: return "OPEN_SEXPR"
    case .closeSexpr: return "CLOSE_SEXPR"
    case .equals: return "EQUALS"
    case .id: return "ID"
    case .sep: return "SEP"
    case .closeUnescaped: return "CLOSE_UNESCAPED"
    case .close: return "CLOSE"
    case .string: return "STRING"
    case .data: return "DATA"
    case .boolean: return "BOOLEAN"
    case .undefined: return "UNDEFINED"
    case .null: return "NULL"
    case .number: return "NUMBER"
    case .openBlockParams: return "OPEN_BLOCK_PARAMS"
    case .closeBlockParams: return "CLOSE_BLOCK_PARAMS"
    case .invalid: return "INVALID"
    case .eof: return "EOF"
    }
  }
}
