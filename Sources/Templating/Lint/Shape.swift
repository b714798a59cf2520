/// What the linter knows about a value while walking a template: enough to tell whether a
/// path exists.
indirect enum Shape {
  /// Unknown: any member may exist.
  case any
  /// The template's root: built-in issue variables plus the schema's properties.
  case root(JSONSchema?)
  /// A value described by a schema.
  case schema(JSONSchema)
  /// A built-in object with fixed members.
  case object([BuiltinVariables.Variable])
  /// A built-in array.
  case array(Shape)
  /// A string, number or boolean.
  case scalar

  init(_ kind: BuiltinVariables.Kind) {
    switch kind {
    case .string, .markdown: self = .scalar
    case .array(let item): self = .array(Shape(item))
    case .object(let members): self = .object(members)
    }
  }

  /// The member `name`, or nil when the shape says it does not exist.
  func member(_ name: String) -> Shape? {
    switch self {
    case .any:
      return .any
    case .root(let schema):
      if let builtin = BuiltinVariables.variable(named: name) { return Shape(builtin.kind) }
      return schema?.propertySchema(name).map(Shape.schema)
    case .schema(let schema):
      return schema.lintMember(name)
    case .object(let members):
      return members.first { $0.name == name }.map { Shape($0.kind) }
    case .array(let item):
      if name == "length" { return .scalar }
      return JavaScript.arrayIndex(name) != nil ? item : nil
    case .scalar:
      return name == "length" ? .scalar : nil
    }
  }

  /// What `#each` iterates over, and whether it surely is a list.
  var items: Shape {
    switch self {
    case .schema(let schema):
      if let items = schema.itemsSchema { return .schema(items) }
      if let additional = schema.additionalPropertiesSchema { return .schema(additional) }
      return .any
    case .array(let item): return item
    default: return .any
    }
  }

  /// How a section `{{#value}}…{{/value}}` treats the value.
  enum SectionKind {
    case list, object, sameContext, other
  }

  var sectionKind: SectionKind {
    switch self {
    case .any: return .other
    case .root: return .object
    case .object: return .object
    case .array: return .list
    case .scalar: return .other
    case .schema(let schema):
      let types = schema.declaredTypes ?? []
      if types.contains("array") || schema.itemsSchema != nil { return .list }
      if types.contains("object") || !schema.declaredPropertyNames.isEmpty { return .object }
      if !types.isEmpty && types.allSatisfy({ $0 == "boolean" || $0 == "null" }) {
        return .sameContext
      }
      return .other
    }
  }
}

extension JSONSchema {
  /// The shape of member `name` for the linter; nil when the schema rules it out.
  func lintMember(_ name: String) -> Shape? {
    if let property = propertySchema(name) { return .schema(property) }
    let types = declaredTypes ?? []
    let isList = types.contains("array") || itemsSchema != nil
    if name == "length" && (isList || types.contains("string")) { return .scalar }
    if isList && JavaScript.arrayIndex(name) != nil {
      return itemsSchema.map(Shape.schema) ?? .any
    }
    if let additional = additionalPropertiesSchema { return .schema(additional) }
    if declaredPropertyNames.isEmpty && allowsAdditionalProperties
      && (types.isEmpty || types.contains("object"))
    {
      return .any
    }
    return nil
  }
}
