#include "smol_video.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "smol_yuv_to_rgb.h"

struct smol_video {
    AVFormatContext *format;
    AVCodecContext *codec;
    AVPacket *packet;
    AVFrame *frame;
    struct SwsContext *scaler;
    // libswscale's SIMD output writes whole blocks past a row's end and wants aligned rows:
    // it converts into this padded buffer, from which the packed rows are copied.
    uint8_t *scratch;
    int scratch_stride;
    int scratch_rows;
    int stream_index;
    // Set once the demuxer is exhausted and the decoder has been sent its flush packet.
    int draining;
    uint64_t pixel_limit;
};

static void set_message(char *message, size_t capacity, const char *format, ...) {
    if (message == NULL || capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, capacity, format, arguments);
    va_end(arguments);
}

static void set_av_message(char *message, size_t capacity, const char *what, int code) {
    char reason[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, reason, sizeof reason);
    set_message(message, capacity, "%s: %s", what, reason);
}

static smol_video_status status_for_av_error(int code) {
    if (code == AVERROR(ENOMEM)) return SMOL_VIDEO_OUT_OF_MEMORY;
    return SMOL_VIDEO_CORRUPT;
}

void smol_video_close(smol_video *video) {
    if (video == NULL) return;
    sws_freeContext(video->scaler);
    av_free(video->scratch);
    av_frame_free(&video->frame);
    av_packet_free(&video->packet);
    avcodec_free_context(&video->codec);
    avformat_close_input(&video->format);
    free(video);
}

void smol_video_free(void *pointer) { free(pointer); }

smol_video_status smol_video_open(const char *path, uint64_t pixel_limit, smol_video **out,
                                  char *message, size_t message_capacity) {
    *out = NULL;
    av_log_set_level(AV_LOG_QUIET);
    smol_video *video = calloc(1, sizeof *video);
    if (video == NULL) return SMOL_VIDEO_OUT_OF_MEMORY;
    video->pixel_limit = pixel_limit;

    int code = avformat_open_input(&video->format, path, NULL, NULL);
    if (code < 0) {
        set_av_message(message, message_capacity, "cannot open the container", code);
        smol_video_close(video);
        return code == AVERROR(ENOMEM) ? SMOL_VIDEO_OUT_OF_MEMORY : SMOL_VIDEO_CANNOT_OPEN;
    }
    code = avformat_find_stream_info(video->format, NULL);
    if (code < 0) {
        set_av_message(message, message_capacity, "cannot read the stream information", code);
        smol_video_close(video);
        return SMOL_VIDEO_CANNOT_OPEN;
    }
    const AVCodec *decoder = NULL;
    code = av_find_best_stream(video->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (code == AVERROR_STREAM_NOT_FOUND) {
        set_message(message, message_capacity, "the file has no video stream");
        smol_video_close(video);
        return SMOL_VIDEO_NO_VIDEO_STREAM;
    }
    if (code < 0 || decoder == NULL) {
        int index = -1;
        for (unsigned i = 0; i < video->format->nb_streams; i++) {
            if (video->format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) { index = (int)i; break; }
        }
        const char *name = index >= 0 ? avcodec_get_name(video->format->streams[index]->codecpar->codec_id) : "unknown";
        set_message(message, message_capacity, "%s", name);
        smol_video_close(video);
        return SMOL_VIDEO_UNSUPPORTED_CODEC;
    }
    video->stream_index = code;
    AVStream *stream = video->format->streams[code];
    int width = stream->codecpar->width, height = stream->codecpar->height;
    if (width <= 0 || height <= 0 || (uint64_t)width * (uint64_t)height > pixel_limit) {
        set_message(message, message_capacity, "%dx%d", width, height);
        smol_video_close(video);
        return SMOL_VIDEO_INVALID_DIMENSIONS;
    }

    video->codec = avcodec_alloc_context3(decoder);
    video->packet = av_packet_alloc();
    video->frame = av_frame_alloc();
    if (video->codec == NULL || video->packet == NULL || video->frame == NULL) {
        smol_video_close(video);
        return SMOL_VIDEO_OUT_OF_MEMORY;
    }
    code = avcodec_parameters_to_context(video->codec, stream->codecpar);
    if (code >= 0) {
        video->codec->thread_count = 0;  // one thread per core; decoding is the slow part of long videos
        video->codec->pkt_timebase = stream->time_base;
        code = avcodec_open2(video->codec, decoder, NULL);
    }
    if (code < 0) {
        set_av_message(message, message_capacity, "cannot open the decoder", code);
        smol_video_close(video);
        return SMOL_VIDEO_UNSUPPORTED_CODEC;
    }
    *out = video;
    return SMOL_VIDEO_OK;
}

void smol_video_get_info(const smol_video *video, smol_video_info *info) {
    memset(info, 0, sizeof *info);
    const AVStream *stream = video->format->streams[video->stream_index];
    info->width = stream->codecpar->width;
    info->height = stream->codecpar->height;
    info->declared_frame_count = stream->nb_frames;
    info->average_rate_num = stream->avg_frame_rate.num;
    info->average_rate_den = stream->avg_frame_rate.den;
    info->time_base_num = stream->time_base.num;
    info->time_base_den = stream->time_base.den;
    info->start_time = stream->start_time == AV_NOPTS_VALUE ? SMOL_VIDEO_NO_PTS : stream->start_time;
    info->container_duration_us = video->format->duration == AV_NOPTS_VALUE ? -1 : video->format->duration;
    snprintf(info->codec_name, sizeof info->codec_name, "%s", avcodec_get_name(stream->codecpar->codec_id));
}

smol_video_status smol_video_rewind(smol_video *video, char *message, size_t message_capacity) {
    // Seeking to INT64_MIN overflows inside some demuxers (mov lands on the last keyframe):
    // seek to the stream's start instead; the last keyframe at or before it is the first one.
    const AVStream *stream = video->format->streams[video->stream_index];
    int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
    int code = av_seek_frame(video->format, video->stream_index, start, AVSEEK_FLAG_BACKWARD);
    if (code < 0) code = avformat_seek_file(video->format, -1, INT64_MIN, 0, 0, 0);
    if (code < 0) {
        set_av_message(message, message_capacity, "cannot rewind", code);
        return SMOL_VIDEO_SEEK_FAILED;
    }
    av_frame_unref(video->frame);
    avcodec_flush_buffers(video->codec);
    video->draining = 0;
    return SMOL_VIDEO_OK;
}

smol_video_status smol_video_scan_packets(smol_video *video, smol_video_packet **packets, int64_t *count,
                                          char *message, size_t message_capacity) {
    *packets = NULL;
    *count = 0;
    size_t capacity = 256, used = 0;
    smol_video_packet *list = malloc(capacity * sizeof *list);
    if (list == NULL) return SMOL_VIDEO_OUT_OF_MEMORY;
    for (;;) {
        int code = av_read_frame(video->format, video->packet);
        if (code == AVERROR_EOF) break;
        if (code < 0) {
            free(list);
            set_av_message(message, message_capacity, "cannot read a packet", code);
            return status_for_av_error(code);
        }
        if (video->packet->stream_index == video->stream_index) {
            if (used == capacity) {
                capacity *= 2;
                smol_video_packet *grown = realloc(list, capacity * sizeof *list);
                if (grown == NULL) {
                    free(list);
                    av_packet_unref(video->packet);
                    return SMOL_VIDEO_OUT_OF_MEMORY;
                }
                list = grown;
            }
            list[used].pts = video->packet->pts == AV_NOPTS_VALUE ? SMOL_VIDEO_NO_PTS : video->packet->pts;
            list[used].dts = video->packet->dts == AV_NOPTS_VALUE ? SMOL_VIDEO_NO_PTS : video->packet->dts;
            list[used].keyframe = (video->packet->flags & AV_PKT_FLAG_KEY) != 0;
            used++;
        }
        av_packet_unref(video->packet);
    }
    smol_video_status status = smol_video_rewind(video, message, message_capacity);
    if (status != SMOL_VIDEO_OK) {
        free(list);
        return status;
    }
    *packets = list;
    *count = (int64_t)used;
    return SMOL_VIDEO_OK;
}

smol_video_status smol_video_seek(smol_video *video, int64_t pts, char *message, size_t message_capacity) {
    int code = av_seek_frame(video->format, video->stream_index, pts, AVSEEK_FLAG_BACKWARD);
    if (code < 0) {
        set_av_message(message, message_capacity, "cannot seek", code);
        return SMOL_VIDEO_SEEK_FAILED;
    }
    av_frame_unref(video->frame);
    avcodec_flush_buffers(video->codec);
    video->draining = 0;
    return SMOL_VIDEO_OK;
}

static smol_video_status convert_frame(smol_video *video, uint8_t *rgb, char *message, size_t message_capacity) {
    const AVStream *stream = video->format->streams[video->stream_index];
    int width = stream->codecpar->width, height = stream->codecpar->height;
    AVFrame *frame = video->frame;
    if (frame->width <= 0 || frame->height <= 0 ||
        (uint64_t)frame->width * (uint64_t)frame->height > video->pixel_limit) {
        set_message(message, message_capacity, "%dx%d", frame->width, frame->height);
        return SMOL_VIDEO_INVALID_DIMENSIONS;
    }
    // Debian's libswscale 6 blends chroma rows differently from the libswscale 9 that PyAV
    // ships when the height is odd; our own converter reproduces the latter exactly.
    int planar420 = frame->format == AV_PIX_FMT_YUV420P || frame->format == AV_PIX_FMT_YUVJ420P;
    if (planar420 && (frame->height & 1) && frame->width == width && frame->height == height) {
        int full_range = frame->color_range == AVCOL_RANGE_JPEG || frame->format == AV_PIX_FMT_YUVJ420P;
        int result = smol_yuv420p_to_rgb24(frame->data[0], frame->linesize[0], frame->data[1], frame->linesize[1],
                                           frame->data[2], frame->linesize[2], frame->width, frame->height,
                                           frame->colorspace, full_range, frame->chroma_location, rgb);
        if (result == SMOL_YUV_OK) return SMOL_VIDEO_OK;
        if (result == SMOL_YUV_OUT_OF_MEMORY) return SMOL_VIDEO_OUT_OF_MEMORY;
        if (result == SMOL_YUV_UNSUPPORTED_COLORSPACE) {
            set_message(message, message_capacity, "colour matrix %d", (int)frame->colorspace);
            return SMOL_VIDEO_UNSUPPORTED_CODEC;
        }
    }
    video->scaler = sws_getCachedContext(video->scaler, frame->width, frame->height, frame->format, width, height,
                                         AV_PIX_FMT_RGB24, SWS_BILINEAR, NULL, NULL, NULL);
    if (video->scaler == NULL) {
        set_message(message, message_capacity, "no conversion from pixel format %s to RGB",
                    av_get_pix_fmt_name(frame->format) ? av_get_pix_fmt_name(frame->format) : "unknown");
        return SMOL_VIDEO_UNSUPPORTED_CODEC;
    }
    // The legacy swscale API does not read colour metadata from frames: pass the frame's
    // matrix (BT.601 when unspecified) and range, as newer FFmpeg does by itself.
    int *inverse_table, *table, source_range, destination_range, brightness, contrast, saturation;
    if (sws_getColorspaceDetails(video->scaler, &inverse_table, &source_range, &table, &destination_range,
                                 &brightness, &contrast, &saturation) >= 0) {
        int full_range = frame->color_range == AVCOL_RANGE_JPEG || source_range;
        sws_setColorspaceDetails(video->scaler, sws_getCoefficients(frame->colorspace), full_range,
                                 table, destination_range, brightness, contrast, saturation);
    }
    if (video->scratch == NULL || video->scratch_rows < height || video->scratch_stride < width * 3) {
        av_free(video->scratch);
        video->scratch_stride = FFALIGN(width * 3 + 64, 64);
        video->scratch_rows = height;
        video->scratch = av_malloc((size_t)video->scratch_stride * (size_t)(height + 2));
        if (video->scratch == NULL) return SMOL_VIDEO_OUT_OF_MEMORY;
    }
    uint8_t *planes[4] = {video->scratch, NULL, NULL, NULL};
    int strides[4] = {video->scratch_stride, 0, 0, 0};
    int rows = sws_scale(video->scaler, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
                         planes, strides);
    if (rows != height) {
        set_message(message, message_capacity, "pixel conversion failed");
        return SMOL_VIDEO_CORRUPT;
    }
    for (int y = 0; y < height; y++) {
        memcpy(rgb + (size_t)y * (size_t)width * 3, video->scratch + (size_t)y * (size_t)video->scratch_stride, (size_t)width * 3);
    }
    return SMOL_VIDEO_OK;
}

smol_video_status smol_video_convert_frame(smol_video *video, uint8_t *rgb, char *message, size_t message_capacity) {
    if (video->frame->data[0] == NULL) {
        set_message(message, message_capacity, "no decoded frame to convert");
        return SMOL_VIDEO_CORRUPT;
    }
    return convert_frame(video, rgb, message, message_capacity);
}

smol_video_status smol_video_next_frame(smol_video *video, int64_t *pts, char *message, size_t message_capacity) {
    av_frame_unref(video->frame);
    for (;;) {
        int code = avcodec_receive_frame(video->codec, video->frame);
        if (code == 0) {
            int64_t stamp = video->frame->best_effort_timestamp;
            *pts = stamp == AV_NOPTS_VALUE ? SMOL_VIDEO_NO_PTS : stamp;
            return SMOL_VIDEO_OK;
        }
        if (code == AVERROR_EOF) return SMOL_VIDEO_END;
        if (code != AVERROR(EAGAIN)) {
            set_av_message(message, message_capacity, "cannot decode a frame", code);
            return status_for_av_error(code);
        }
        if (video->draining) return SMOL_VIDEO_END;
        code = av_read_frame(video->format, video->packet);
        if (code == AVERROR_EOF) {
            video->draining = 1;
            code = avcodec_send_packet(video->codec, NULL);
            if (code < 0 && code != AVERROR_EOF) {
                set_av_message(message, message_capacity, "cannot flush the decoder", code);
                return status_for_av_error(code);
            }
            continue;
        }
        if (code < 0) {
            set_av_message(message, message_capacity, "cannot read a packet", code);
            return status_for_av_error(code);
        }
        if (video->packet->stream_index != video->stream_index) {
            av_packet_unref(video->packet);
            continue;
        }
        code = avcodec_send_packet(video->codec, video->packet);
        av_packet_unref(video->packet);
        if (code < 0 && code != AVERROR(EAGAIN)) {
            set_av_message(message, message_capacity, "cannot decode a packet", code);
            return status_for_av_error(code);
        }
    }
}
