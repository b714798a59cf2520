import Foundation

/// Parses and formats the tracker timestamps by hand, so that every offset spelling works on
/// every platform (`+0200`, `+02:00`, `Z`, with or without fractional seconds).
enum Timestamps {
  /// Parses `yyyy-MM-ddTHH:mm:ss[.fff][Z|±HH[:]MM]`; a missing offset means UTC.
  static func parse(_ text: String) -> Date? {
    let chars = Array(text.utf8)
    func number(_ start: Int, _ length: Int) -> Int? {
      guard start + length <= chars.count else { return nil }
      var value = 0
      for index in start..<(start + length) {
        let char = chars[index]
        guard char >= 48, char <= 57 else { return nil }
        value = value * 10 + Int(char - 48)
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2)
    else { return nil }
    var index = 16
    var seconds = 0.0
    if index < chars.count, chars[index] == UInt8(ascii: ":"), let second = number(17, 2) {
      seconds = Double(second)
      index = 19
      if index < chars.count, chars[index] == UInt8(ascii: ".") {
        index += 1
        var scale = 0.1
        while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
          seconds += Double(chars[index] - 48) * scale
          scale /= 10
          index += 1
        }
      }
    }
    var offset = 0
    if index < chars.count {
      let sign = chars[index]
      if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        guard let hours = number(index + 1, 2) else { return nil }
        var minuteIndex = index + 3
        if minuteIndex < chars.count, chars[minuteIndex] == UInt8(ascii: ":") { minuteIndex += 1 }
        let minutes = number(minuteIndex, 2) ?? 0
        offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
      } else if sign != UInt8(ascii: "Z") {
        return nil
      }
    }
    var components = DateComponents()
    components.year = year
    components.month = month
    components.day = day
    components.hour = hour
    components.minute = minute
    guard let base = utcCalendar.date(from: components) else { return nil }
    return base.addingTimeInterval(seconds - Double(offset))
  }

  /// RFC 3339 in UTC with second precision: `2025-06-02T07:00:00Z` (Teamwork `updatedAfter`).
  static func rfc3339(_ date: Date) -> String {
    let parts = utcCalendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  }

  /// `yyyy-MM-dd` in UTC (ADF `date` nodes).
  static func day(_ date: Date) -> String {
    let parts = utcCalendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
  }

  static let utcCalendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()
}
