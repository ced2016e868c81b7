// kissfft from Debian's libkissfft-dev, single-precision build (pkg-config kissfft-float).
#ifndef kiss_fft_scalar
#define kiss_fft_scalar float
#endif
#include <kissfft/kiss_fftr.h>
