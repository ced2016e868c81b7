// libsoxr from Debian's libsoxr-dev: the resampler librosa's soxr backends use.
#include <soxr.h>
