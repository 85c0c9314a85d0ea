import Foundation
@testable import SmolVision

/// The committed video clips and their transformers goldens (Scripts/reference/make_video_goldens.py).
enum VideoFixtures {
    static let clips = [
        "h264_160x90_30fps_2s.mp4",
        "h264_128x72_29.97fps_9.5s.mov",
        "vp9_97x55_24fps_12.5s.webm",
        "h264_64x36_6fps_180s.mp4",
        "h264_bframes_audio_120x68_25fps_5s.mp4",
        "vp9_99x56_25fps_7s.webm",
    ]

    static func clip(_ name: String) -> URL { VisionFixtures.url("videos/\(name)") }

    static func golden(_ name: String, _ file: String) -> URL {
        VisionFixtures.url("video/\((name as NSString).deletingPathExtension)/\(file)")
    }

    struct Metadata: Decodable {
        struct Reference: Decodable {
            let total_num_frames: Int
            let fps: Double
            let duration: Double
            let width: Int
            let height: Int
        }
        struct Decoded: Decodable {
            let count: Int
            let times: [Double]
            let key_frames: [Int]
        }
        let reference_metadata: Reference
        let decoded_frames: Decoded
    }

    struct Sampling: Decodable {
        struct Config: Decodable {
            let fps: Double
            let max_frames: Int
            let indices: [Int]
            let timestamps: [Double]
            let timestamps_mmss: [[Int]]
            let duration_int: Int
            let duration_text: String
            let frame_count_words: String
        }
        let skip_secs: Double
        let configs: [String: Config]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: url))
    }
}
