#ifndef LOA_CALSA_SHIM_H
#define LOA_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/* alsa-lib prints "ALSA lib ..." lines to stderr through a variadic handler, which Swift cannot
   write. Loa reports ALSA errors itself (with snd_strerror), so it installs this silent one. */
static void loa_alsa_silent_handler(const char *file, int line, const char *function, int err,
                                    const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void loa_alsa_silence(void) {
    snd_lib_error_set_handler(loa_alsa_silent_handler);
}
#endif
