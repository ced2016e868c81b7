// libsndfile from Debian's libsndfile1-dev (1.2: WAV, FLAC, OGG/Vorbis, Opus and MP3 decoding).
#include <sndfile.h>
