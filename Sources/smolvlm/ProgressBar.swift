import Foundation
import SmolVLM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line download progress bar on stderr — bytes, rate and time left —
/// drawn only when stderr is a terminal, and only once a download has run for
/// a moment (a model already in the cache shows nothing).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let lock = NSLock()
    private let start = Date()
    private var samples: [(time: Date, bytes: Int64)] = []
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ progress: HubProgress) {
        guard enabled else { return }
        let now = Date()
        lock.withLock {
            samples.append((now, progress.completedBytes))
            // The rate is measured over the last five seconds.
            samples.removeAll { now.timeIntervalSince($0.time) > 5 }
            guard now.timeIntervalSince(start) > 0.3, now.timeIntervalSince(lastDraw) >= 0.1 || progress.completedBytes == progress.totalBytes
            else { return }
            lastDraw = now
            drawn = true
            FileHandle.standardError.write(Data(("\r" + line(progress) + "\u{1B}[K").utf8))
        }
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
            drawn = false
        }
    }

    private func line(_ progress: HubProgress) -> String {
        let width = 24
        let filled = Int(progress.fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var rate = 0.0
        if let first = samples.first, let last = samples.last, last.time > first.time {
            rate = Double(last.bytes - first.bytes) / last.time.timeIntervalSince(first.time)
        }
        let remaining = Double(progress.totalBytes - progress.completedBytes)
        let eta = rate > 0 ? Self.duration(remaining / rate) : "--:--"
        return "\(label) [\(bar)] \(Int(progress.fraction * 100))%  "
            + "\(ByteCount.format(progress.completedBytes))/\(ByteCount.format(progress.totalBytes))  "
            + "\(ByteCount.format(Int64(rate)))/s  ETA \(eta)"
    }

    private static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// Byte counts in decimal units, as `huggingface_hub` prints them.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
