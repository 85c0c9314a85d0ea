#ifndef SMOLVLM_COPENBLAS_SHIM_H
#define SMOLVLM_COPENBLAS_SHIM_H
// Debian's libopenblas-dev keeps cblas.h in an alternatives-managed include
// directory; pkg-config (openblas.pc) supplies the -I for the active variant.
// OpenBLAS's cblas.h also declares openblas_set_num_threads and friends.
#include <cblas.h>
#endif
