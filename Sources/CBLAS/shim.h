// OpenBLAS from Debian's libopenblas-dev: cblas_* plus openblas_set_num_threads.
#include <cblas.h>
