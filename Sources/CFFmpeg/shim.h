#ifndef LOA_CFFMPEG_SHIM_H
#define LOA_CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/opt.h>
#include <libavutil/time.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>

// FFmpeg's error codes are macros Swift cannot import.
static inline int loa_averror_eof(void) { return AVERROR_EOF; }
static inline int loa_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int loa_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }

/// A deadline for every blocking call of one input: FFmpeg asks the interrupt callback while it
/// waits, and gives up (AVERROR_EXIT) once the deadline has passed, so a stalled read never hangs.
typedef struct {
    int64_t deadline_us;
} loa_deadline;

static inline int loa_deadline_passed(void *opaque) {
    const loa_deadline *deadline = (const loa_deadline *)opaque;
    return deadline->deadline_us > 0 && av_gettime_relative() > deadline->deadline_us;
}

static inline void loa_set_interrupt(AVFormatContext *context, loa_deadline *deadline) {
    context->interrupt_callback.callback = loa_deadline_passed;
    context->interrupt_callback.opaque = deadline;
}

// FFmpeg prints to stderr by default; Loa reports errors itself.
static inline void loa_ffmpeg_quiet(void) { av_log_set_level(AV_LOG_QUIET); }
#endif
