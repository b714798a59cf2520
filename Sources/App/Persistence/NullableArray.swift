import NIOCore
import PostgresNIO

/// A one-dimensional PostgreSQL array whose elements may be null, in the binary format
/// (`array_send`): PostgresNIO's own `Array` encoding has no nulls, and a batch of rows has
/// optional columns (an IDE, an override, a label).
struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
  PostgresNonThrowingEncodable
{
  let elements: [Element?]

  init(_ elements: [Element?]) { self.elements = elements }

  static var psqlType: PostgresDataType { Element.psqlArrayType }
  static var psqlFormat: PostgresFormat { .binary }

  func encode<JSONEncoder: PostgresJSONEncoder>(
    into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
  ) {
    // Dimensions, whether any element is null, the elements' type.
    buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
    buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)
    buffer.writeInteger(Element.psqlType.rawValue)
    guard !elements.isEmpty else { return }
    // The one dimension's length and lower bound, then each element as length and bytes.
    buffer.writeInteger(Int32(elements.count))
    buffer.writeInteger(1, as: Int32.self)
    for element in elements {
      guard let element else {
        buffer.writeInteger(-1, as: Int32.self)
        continue
      }
      let lengthIndex = buffer.writerIndex
      buffer.writeInteger(0, as: Int32.self)
      element.encode(into: &buffer, context: context)
      buffer.setInteger(
        Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex, as: Int32.self)
    }
  }
}
