import Foundation
import NIOCore

extension IssueResponse {
  /// Writes this issue as `JSONEncoder` would (sorted keys, nil fields left out), see
  /// `JSONByteWriter`.
  func write(to json: inout JSONByteWriter) {
    json.beginObject()
    if let assignee {
      json.key("assignee")
      json.beginObject()
      if let email = assignee.email {
        json.key("email")
        json.string(email)
      }
      if let name = assignee.name {
        json.key("name")
        json.string(name)
      }
      if let userId = assignee.userId {
        json.key("userId")
        json.string(userId)
      }
      json.endObject()
    }
    json.key("criteriaMd")
    json.string(criteriaMd)
    if let deletedAt {
      json.key("deletedAt")
      json.date(deletedAt)
    }
    json.key("descriptionMd")
    json.string(descriptionMd)
    json.key("extKey")
    json.string(extKey)
    json.key("id")
    json.string(id)
    json.key("labels")
    json.stringArray(labels)
    // `payload` is never set on a list item.
    if let priority {
      json.key("priority")
      json.string(priority)
    }
    json.key("status")
    json.string(status)
    json.key("statusCategory")
    json.string(statusCategory)
    json.key("title")
    json.string(title)
    json.key("trackerId")
    json.string(trackerId)
    if let trackerName {
      json.key("trackerName")
      json.string(trackerName)
    }
    if let type {
      json.key("type")
      json.string(type)
    }
    if let updatedAt {
      json.key("updatedAt")
      json.date(updatedAt)
    }
    if let url {
      json.key("url")
      json.string(url)
    }
    json.endObject()
  }

  /// A JSON array of list items (without `payload`).
  static func listJSON(_ items: [IssueResponse], allocator: ByteBufferAllocator) -> ByteBuffer {
    let size = items.reduce(2) { $0 + $1.descriptionMd.utf8.count + $1.criteriaMd.utf8.count + 400 }
    var json = JSONByteWriter(buffer: allocator.buffer(capacity: size))
    json.beginArray()
    for item in items { item.write(to: &json) }
    json.endArray()
    return json.buffer
  }
}
