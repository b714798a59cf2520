import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Blobs in a local folder at content-addressed paths (`ab/cd/<sha256>`). Each write goes to a
/// temporary file in the target folder, is fsynced, renamed over the final name and the folder
/// fsynced, so a crash leaves either the whole object or none under its name. A folder it
/// creates is synced in its parent too (POSIX asks for it; ext4 happens to do it by itself).
struct FileBlobStorage: BlobStorage {
  static let temporaryPrefix = ".tmp-"

  let root: String
  let threadPool: NIOThreadPool

  var kind: String { "file" }

  func put(key: BlobKey, bytes: ByteBuffer, contentType: String) async throws {
    let target = url(for: key.path)
    try await threadPool.runIfActive {
      let folder = target.deletingLastPathComponent()
      // Content-addressed: an existing object already holds these bytes. Its modification
      // time is renewed so that the cleanup's grace period counts from this upload.
      if FileManager.default.fileExists(atPath: target.path) {
        if utimes(target.path, nil) == 0 { return }
      }
      try createFoldersDurably(for: key)
      let temporary = folder.appendingPathComponent(
        Self.temporaryPrefix + UUID.random().lowercasedText)
      do {
        try Self.writeDurably(bytes, to: temporary.path)
        guard rename(temporary.path, target.path) == 0 else {
          throw StorageError("rename to \(target.path) failed: \(Self.lastError())")
        }
      } catch {
        unlink(temporary.path)
        throw error
      }
      try Self.syncFolder(folder.path)
    }
  }

  func get(key: BlobKey) async throws -> ByteBuffer? {
    let path = url(for: key.path).path
    return try await threadPool.runIfActive {
      guard FileManager.default.fileExists(atPath: path) else { return nil }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw StorageError("cannot read \(path)")
      }
      return ByteBuffer(data: data)
    }
  }

  func exists(key: BlobKey) async throws -> Bool {
    let path = url(for: key.path).path
    return try await threadPool.runIfActive { FileManager.default.fileExists(atPath: path) }
  }

  func delete(path: String) async throws {
    guard !path.split(separator: "/").contains("..") else {
      throw StorageError("refusing to delete outside the store: \(path)")
    }
    let target = url(for: path).path
    try await threadPool.runIfActive {
      if unlink(target) != 0 && errno != ENOENT {
        throw StorageError("cannot delete \(target): \(Self.lastError())")
      }
    }
  }

  func list() async throws -> [StoredObject] {
    let rootURL = URL(fileURLWithPath: root)
    return try await threadPool.runIfActive {
      guard FileManager.default.fileExists(atPath: rootURL.path) else { return [] }
      guard
        let enumerator = FileManager.default.enumerator(
          at: rootURL, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
      else { throw StorageError("cannot list \(rootURL.path)") }
      var objects: [StoredObject] = []
      let prefix = rootURL.standardizedFileURL.path + "/"
      for case let file as URL in enumerator {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
        let full = file.standardizedFileURL.path
        let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
        objects.append(
          StoredObject(
            path: relative, key: BlobKey(path: relative),
            size: (attributes[.size] as? NSNumber)?.intValue ?? 0,
            modifiedAt: attributes[.modificationDate] as? Date ?? Date()))
      }
      return objects
    }
  }

  private func url(for path: String) -> URL {
    URL(fileURLWithPath: root).appendingPathComponent(path)
  }

  private static func writeDurably(_ bytes: ByteBuffer, to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
    guard descriptor >= 0 else { throw StorageError("cannot create \(path): \(lastError())") }
    defer { close(descriptor) }
    try bytes.withUnsafeReadableBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw StorageError("cannot write \(path): \(lastError())")
        }
        offset += written
      }
    }
    guard fsync(descriptor) == 0 else { throw StorageError("fsync \(path): \(lastError())") }
  }

  /// Folders whose entry in their parent is known durable in this process: created by it and
  /// the parent synced, or synced once since it started. At most the 65,536 `ab/cd` folders and
  /// their 256 parents.
  private static let durableFolders = NIOLockedValueBox(Set<String>())

  /// Creates the root and the folders of `key` under it (`ab/`, `ab/cd/`), each made durable in
  /// its parent: the folder's own sync after the rename does not make its entry in the parent
  /// durable, and a crash could otherwise lose a freshly created `ab/cd/` with the object in
  /// it. A folder another upload is creating at the same moment is synced here too, not taken
  /// on trust.
  private func createFoldersDurably(for key: BlobKey) throws {
    var level = URL(fileURLWithPath: root)
    var levels = [level]
    for component in key.path.split(separator: "/").dropLast() {
      level = level.appendingPathComponent(String(component))
      levels.append(level)
    }
    for (depth, level) in levels.enumerated()
    where !Self.durableFolders.withLockedValue({ $0.contains(level.path) }) {
      if depth == 0 {
        // The configured folder, whose own parents may be missing too.
        try FileManager.default.createDirectory(at: level, withIntermediateDirectories: true)
      } else if mkdir(level.path, 0o750) != 0 && errno != EEXIST {
        throw StorageError("cannot create \(level.path): \(Self.lastError())")
      }
      try Self.syncFolder(level.deletingLastPathComponent().path)
      Self.durableFolders.withLockedValue { _ = $0.insert(level.path) }
    }
  }

  /// Makes the rename itself durable.
  private static func syncFolder(_ path: String) throws {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw StorageError("cannot open \(path): \(lastError())") }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw StorageError("fsync \(path): \(lastError())") }
  }

  private static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
