import Foundation
import Vapor

/// A plain TCP socket to the test server on 127.0.0.1, for what a client library hides (a body
/// still being sent, two requests on one connection). Blocking: call it from `onOwnThread`.
enum LoopbackSocket {
  /// A connected socket with send and (when given) receive timeouts; the caller closes it.
  static func connect(port: Int, sendTimeout: Int, receiveTimeout: Int? = nil) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(fd)
      throw Abort(.internalServerError, reason: "connect to 127.0.0.1:\(port) failed")
    }
    var timeout = timeval(tv_sec: sendTimeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    if let receiveTimeout {
      timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
    return fd
  }
}
