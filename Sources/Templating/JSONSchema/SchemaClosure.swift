extension [SchemaNode] {
  /// `start` and, breadth-first and each once, the subschemas reached from it through `$ref`,
  /// `allOf` and the `anyOf`/`oneOf` branches `branches` picks: navigation takes them all,
  /// applying defaults only those that match the instance.
  func closure(from start: [Int], branches: (SchemaNode) -> [Int]) -> [Int] {
    var visited: Set<Int> = []
    var result: [Int] = []
    var queue = start
    var position = 0
    while position < queue.count {
      let index = queue[position]
      position += 1
      guard visited.insert(index).inserted else { continue }
      result.append(index)
      let node = self[index]
      if let ref = node.ref { queue.append(ref) }
      queue += node.allOf
      queue += branches(node)
    }
    return result
  }
}
