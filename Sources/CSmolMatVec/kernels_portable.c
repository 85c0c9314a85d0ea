// The portable build of the generic kernels: baseline code for any CPU.
#include "internal.h"

#define SMOL_SUFFIX portable
#include "kernels_generic.inc"
