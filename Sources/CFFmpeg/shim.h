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
static inline int loa_averror_exit(void) { return AVERROR_EXIT; }

/// A deadline for every blocking call of one input: FFmpeg asks the interrupt callback while it
/// waits, and gives up (AVERROR_EXIT) once the deadline has passed or another thread has asked
/// the input to stop, so a stalled read never hangs.
typedef struct {
    int64_t deadline_us;
    int stop;
} loa_deadline;

static inline int loa_deadline_passed(void *opaque) {
    loa_deadline *deadline = (loa_deadline *)opaque;
    return __atomic_load_n(&deadline->stop, __ATOMIC_RELAXED)
        || (deadline->deadline_us > 0 && av_gettime_relative() > __atomic_load_n(&deadline->deadline_us, __ATOMIC_RELAXED));
}

static inline void loa_deadline_set(loa_deadline *deadline, int64_t at_us) {
    __atomic_store_n(&deadline->deadline_us, at_us, __ATOMIC_RELAXED);
}

static inline void loa_deadline_stop(loa_deadline *deadline) { __atomic_store_n(&deadline->stop, 1, __ATOMIC_RELAXED); }

static inline int loa_deadline_stopped(loa_deadline *deadline) { return __atomic_load_n(&deadline->stop, __ATOMIC_RELAXED); }

static inline void loa_set_interrupt(AVFormatContext *context, loa_deadline *deadline) {
    context->interrupt_callback.callback = loa_deadline_passed;
    context->interrupt_callback.opaque = deadline;
}

/// Opens a URL for reading through FFmpeg's protocols, every blocking call under `deadline`.
static inline int loa_avio_open(AVIOContext **context, const char *url, loa_deadline *deadline, AVDictionary **options) {
    AVIOInterruptCB callback = {loa_deadline_passed, deadline};
    return avio_open2(context, url, AVIO_FLAG_READ, &callback, options);
}

static inline int loa_averror_timedout(void) { return AVERROR(ETIMEDOUT); }
static inline int loa_avfmt_flag_custom_io(void) { return AVFMT_FLAG_CUSTOM_IO; }

// FFmpeg prints to stderr by default; Loa reports errors itself.
static inline void loa_ffmpeg_quiet(void) { av_log_set_level(AV_LOG_QUIET); }
#endif
