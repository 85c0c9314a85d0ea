#ifndef SMOL_VIDEO_H
#define SMOL_VIDEO_H

// Video decoding for SmolVision over FFmpeg's libraries.
//
// FFmpeg's API is macro-heavy (AVERROR, AV_NOPTS_VALUE) and stateful; this
// shim keeps it in C and gives Swift a handful of calls: open, packet scan,
// seek, next frame as RGB24. Every failure comes back as a status and a
// message, never as an abort.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum smol_video_status {
    SMOL_VIDEO_OK = 0,
    /// No more frames.
    SMOL_VIDEO_END = 1,
    /// The file cannot be opened or its container cannot be read.
    SMOL_VIDEO_CANNOT_OPEN = 2,
    /// The container holds no video stream.
    SMOL_VIDEO_NO_VIDEO_STREAM = 3,
    /// No decoder for the stream's codec in this FFmpeg build.
    SMOL_VIDEO_UNSUPPORTED_CODEC = 4,
    /// The stream's data is damaged and a frame cannot be decoded.
    SMOL_VIDEO_CORRUPT = 5,
    /// Frame size is zero or above the caller's pixel limit.
    SMOL_VIDEO_INVALID_DIMENSIONS = 6,
    SMOL_VIDEO_OUT_OF_MEMORY = 7,
    /// Seeking failed.
    SMOL_VIDEO_SEEK_FAILED = 8,
} smol_video_status;

/// Sentinel for "no timestamp" (FFmpeg's AV_NOPTS_VALUE).
static const int64_t SMOL_VIDEO_NO_PTS = INT64_MIN;

/// What the container says about its first video stream.
typedef struct smol_video_info {
    int32_t width;
    int32_t height;
    /// The container's frame count (nb_frames), 0 when it does not store one (e.g. Matroska/WebM).
    int64_t declared_frame_count;
    /// avg_frame_rate; 0/0 when unknown.
    int32_t average_rate_num;
    int32_t average_rate_den;
    /// Units of every pts this shim returns.
    int32_t time_base_num;
    int32_t time_base_den;
    /// The stream's start time in time_base units, SMOL_VIDEO_NO_PTS when unknown.
    int64_t start_time;
    /// Container duration in microseconds, or -1.
    int64_t container_duration_us;
    char codec_name[32];
} smol_video_info;

/// A packet of the video stream as stored (no decoding).
typedef struct smol_video_packet {
    /// Presentation timestamp (time_base units), SMOL_VIDEO_NO_PTS when absent.
    int64_t pts;
    /// Decode timestamp, SMOL_VIDEO_NO_PTS when absent.
    int64_t dts;
    uint8_t keyframe;
} smol_video_packet;

typedef struct smol_video smol_video;

/// Opens `path`, finds the best video stream and opens its decoder.
/// `pixel_limit` bounds width × height (checked before any frame is decoded).
smol_video_status smol_video_open(const char *path, uint64_t pixel_limit, smol_video **out,
                                  char *message, size_t message_capacity);

void smol_video_get_info(const smol_video *video, smol_video_info *info);

/// Reads every packet of the video stream without decoding, then rewinds.
/// `*packets` is malloc'd (free with `smol_video_free`); `*count` may be 0.
smol_video_status smol_video_scan_packets(smol_video *video, smol_video_packet **packets, int64_t *count,
                                          char *message, size_t message_capacity);

/// Seeks back to the first frame and flushes the decoder.
smol_video_status smol_video_rewind(smol_video *video, char *message, size_t message_capacity);

/// Seeks to the last keyframe at or before `pts` (time_base units) and flushes the decoder.
smol_video_status smol_video_seek(smol_video *video, int64_t pts, char *message, size_t message_capacity);

/// Decodes the next frame in presentation order and holds it; `*pts` receives its best-effort
/// timestamp. Frames nobody asked for are never converted, which keeps skipping cheap.
smol_video_status smol_video_next_frame(smol_video *video, int64_t *pts, char *message, size_t message_capacity);

/// Converts the frame held by the last `smol_video_next_frame` to packed RGB24 of the stream's
/// width × height (libswscale, with the frame's own colour matrix and range).
smol_video_status smol_video_convert_frame(smol_video *video, uint8_t *rgb, char *message, size_t message_capacity);

void smol_video_close(smol_video *video);

void smol_video_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
