// FluidSynth C API from Debian's libfluidsynth-dev (installed by `make setup`).
#include <fluidsynth.h>
