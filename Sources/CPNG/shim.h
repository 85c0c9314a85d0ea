#ifndef SMOLVLM_CPNG_SHIM_H
#define SMOLVLM_CPNG_SHIM_H
#include <png.h>
#endif
