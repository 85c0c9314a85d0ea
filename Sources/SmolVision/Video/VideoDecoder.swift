import CSmolVideo
import Foundation

/// Decodes frames of a video file (MP4, MOV, WebM, … — whatever the system's FFmpeg reads) to RGB.
///
/// Frames are addressed by their index in presentation order, as transformers' PyAV loader counts
/// them. Only the requested frames are converted to RGB and kept; the decoder seeks to the keyframe
/// before a requested frame when that skips work, so a long video never sits in memory.
/// Not thread-safe: use one decoder per task.
public final class VideoDecoder {
    public let url: URL
    public let metadata: VideoMetadata
    /// Presentation timestamps (stream time base) of every frame, in order; empty when the stream
    /// has none, in which case frames are found by counting.
    private let frameStamps: [Int64]
    /// For each frame, the timestamp of the last keyframe at or before it (nil: before the first).
    private let keyframeStamps: [Int64?]
    private let timeBase: Double
    private let startStamp: Int64
    private let pixelLimit: Int
    private var handle: OpaquePointer?
    /// Off: decode every frame from the start (for measuring what seeking saves).
    package var allowsSeeking = true

    /// Opens a video file and reads its packet index (no frame is decoded yet).
    public init(contentsOf url: URL, pixelLimit: Int = Image.defaultPixelLimit) throws(VideoError) {
        let path = url.path
        guard url.isFileURL, FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        self.url = url
        self.pixelLimit = pixelLimit
        var message = [CChar](repeating: 0, count: 512)
        var opened: OpaquePointer?
        let status = smol_video_open(path, UInt64(max(0, pixelLimit)), &opened, &message, message.count)
        guard status == SMOL_VIDEO_OK, let opened else {
            throw Self.error(status, message: message, path: path, pixelLimit: pixelLimit)
        }
        handle = opened
        var info = smol_video_info()
        smol_video_get_info(opened, &info)

        var packets: UnsafeMutablePointer<smol_video_packet>?
        var count: Int64 = 0
        let scan = smol_video_scan_packets(opened, &packets, &count, &message, message.count)
        defer { smol_video_free(packets) }
        guard scan == SMOL_VIDEO_OK else {
            smol_video_close(opened)
            handle = nil
            throw Self.error(scan, message: message, path: path, pixelLimit: pixelLimit)
        }
        let list = UnsafeBufferPointer(start: packets, count: Int(count))
        let stamped = !list.isEmpty && list.allSatisfy { $0.pts != SMOL_VIDEO_NO_PTS }
        var stamps: [Int64] = []
        var keys: [Int64?] = []
        if stamped {
            let sorted = list.sorted { $0.pts < $1.pts }
            stamps = sorted.map(\.pts)
            var lastKey: Int64? = nil
            keys = sorted.map { packet in
                if packet.keyframe != 0 { lastKey = packet.pts }
                return lastKey
            }
        }
        frameStamps = stamps
        keyframeStamps = keys
        timeBase = info.time_base_den > 0 ? Double(info.time_base_num) / Double(info.time_base_den) : 0
        startStamp = info.start_time != SMOL_VIDEO_NO_PTS ? info.start_time : (stamps.first ?? 0)

        let rate = info.average_rate_den > 0 ? Double(info.average_rate_num) / Double(info.average_rate_den) : 0
        let declared = Int(info.declared_frame_count)
        let frameCount = declared > 0 ? declared : Int(count)
        // PyAV divides by the rate as a fraction: frames · den / num, rounded once.
        let duration = info.average_rate_num > 0
            ? Double(Int64(frameCount) * Int64(info.average_rate_den)) / Double(info.average_rate_num) : 0
        metadata = VideoMetadata(
            width: Int(info.width), height: Int(info.height),
            frameCount: frameCount,
            frameCountSource: declared > 0 ? .container : .counted,
            framesPerSecond: rate, duration: duration,
            codec: withUnsafeBytes(of: info.codec_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
    }

    deinit { smol_video_close(handle) }

    /// Decodes the frames at `indices` (any order, duplicates allowed) and hands each to `body` in
    /// ascending index order. Indices at or past the last decodable frame are skipped, as
    /// transformers' loader skips them; if none is left, that is ``VideoError/noDecodableFrames(path:)``.
    public func forEachFrame(at indices: [Int], _ body: (VideoFrame) throws -> Void) throws {
        let wanted = Array(Set(indices.filter { $0 >= 0 })).sorted()
        guard !wanted.isEmpty else { return }
        if frameStamps.isEmpty || !allowsSeeking {
            try decodeByCounting(wanted, body)
        } else {
            try decodeByTimestamp(wanted, body)
        }
    }

    /// The frames at `indices`, in ascending index order.
    public func frames(at indices: [Int]) throws -> [VideoFrame] {
        var frames: [VideoFrame] = []
        try forEachFrame(at: indices) { frames.append($0) }
        return frames
    }

    private var frameBytes: Int { metadata.width * metadata.height * 3 }

    private func decodeByTimestamp(_ wanted: [Int], _ body: (VideoFrame) throws -> Void) throws {
        try rewind()
        var position: Int64? = nil  // timestamp of the last frame decoded since the last seek
        var delivered = 0
        var buffer = [UInt8](repeating: 0, count: frameBytes)
        for index in wanted where index < frameStamps.count {
            let target = frameStamps[index]
            if let key = keyframeStamps[index], key > (position ?? Int64.min), position != nil || key > frameStamps[0] {
                try seek(to: key)
                position = nil
            }
            var found = false
            while !found {
                guard let stamp = try nextFrame(into: &buffer, convertIf: { $0 == target }) else { break }
                position = stamp
                if stamp == target { found = true } else if stamp > target { break }
            }
            guard found else {
                // The seek landed past the frame or the stream ended early: count from the start instead.
                try decodeByCounting(wanted.filter { $0 >= index }, body, delivered: delivered)
                return
            }
            try body(VideoFrame(index: index, time: time(of: target), image: try image(from: buffer)))
            delivered += 1
        }
        if delivered == 0 { throw VideoError.noDecodableFrames(path: url.path) }
    }

    private func decodeByCounting(_ wanted: [Int], _ body: (VideoFrame) throws -> Void, delivered: Int = 0) throws {
        try rewind()
        var buffer = [UInt8](repeating: 0, count: frameBytes)
        var delivered = delivered
        var index = 0
        var next = 0
        while next < wanted.count {
            let isWanted = wanted[next] == index
            guard let stamp = try nextFrame(into: &buffer, convertIf: { _ in isWanted }) else { break }
            if isWanted {
                let seconds = stamp == SMOL_VIDEO_NO_PTS ? Double(index) / max(metadata.framesPerSecond, 1) : time(of: stamp)
                try body(VideoFrame(index: index, time: seconds, image: try image(from: buffer)))
                delivered += 1
                next += 1
            }
            index += 1
        }
        if delivered == 0 { throw VideoError.noDecodableFrames(path: url.path) }
    }

    private func time(of stamp: Int64) -> Double { Double(stamp - startStamp) * timeBase }

    private func image(from buffer: [UInt8]) throws(VideoError) -> Image {
        do {
            return try Image(width: metadata.width, height: metadata.height, rgb: buffer, pixelLimit: pixelLimit)
        } catch {
            throw .invalidDimensions(width: metadata.width, height: metadata.height, limit: pixelLimit)
        }
    }

    /// Decodes the next frame (nil at the end) and converts it into `buffer` when `wanted` says so.
    private func nextFrame(into buffer: inout [UInt8], convertIf wanted: (Int64) -> Bool) throws(VideoError) -> Int64? {
        var message = [CChar](repeating: 0, count: 512)
        var stamp: Int64 = 0
        var status = smol_video_next_frame(handle, &stamp, &message, message.count)
        if status == SMOL_VIDEO_END { return nil }
        if status == SMOL_VIDEO_OK, wanted(stamp) {
            status = buffer.withUnsafeMutableBufferPointer { rgb in
                smol_video_convert_frame(handle, rgb.baseAddress, &message, message.count)
            }
        }
        guard status == SMOL_VIDEO_OK else { throw Self.error(status, message: message, path: url.path, pixelLimit: pixelLimit) }
        return stamp
    }

    private func seek(to stamp: Int64) throws(VideoError) {
        var message = [CChar](repeating: 0, count: 512)
        let status = smol_video_seek(handle, stamp, &message, message.count)
        guard status == SMOL_VIDEO_OK else { throw Self.error(status, message: message, path: url.path, pixelLimit: pixelLimit) }
    }

    private func rewind() throws(VideoError) {
        var message = [CChar](repeating: 0, count: 512)
        let status = smol_video_rewind(handle, &message, message.count)
        guard status == SMOL_VIDEO_OK else { throw Self.error(status, message: message, path: url.path, pixelLimit: pixelLimit) }
    }

    private static func error(_ status: smol_video_status, message: [CChar], path: String, pixelLimit: Int) -> VideoError {
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case SMOL_VIDEO_NO_VIDEO_STREAM: return .noVideoStream(path: path)
        case SMOL_VIDEO_UNSUPPORTED_CODEC: return .unsupportedCodec(path: path, codec: text)
        case SMOL_VIDEO_OUT_OF_MEMORY: return .outOfMemory(path: path)
        case SMOL_VIDEO_INVALID_DIMENSIONS:
            let parts = text.split(separator: "x").compactMap { Int($0) }
            return .invalidDimensions(width: parts.first ?? 0, height: parts.count > 1 ? parts[1] : 0, limit: pixelLimit)
        case SMOL_VIDEO_CANNOT_OPEN: return .unreadable(path: path, reason: text)
        default: return .corrupt(path: path, reason: text.isEmpty ? "decoding failed" : text)
        }
    }
}
