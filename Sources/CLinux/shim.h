// Linux interfaces that Swift's Glibc module leaves out.
#include <sys/timerfd.h>
#include <sys/timex.h>

// Whether the kernel calls the clock synchronised (an NTP client has set it): adjtimex with no
// change requested returns TIME_ERROR while it does not.
static inline int loa_clock_synchronized(void) {
    struct timex t = {0};
    return adjtimex(&t) != TIME_ERROR;
}
