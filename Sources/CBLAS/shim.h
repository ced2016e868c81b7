// OpenBLAS from Debian's libopenblas-dev: cblas_* plus openblas_set_num_threads.
#include <cblas.h>
// glibc's mallopt, with which DuetTensor keeps freed tensor memory mapped (AllocatorTuning.swift).
#ifdef __linux__
#include <malloc.h>
#endif
