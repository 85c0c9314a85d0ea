#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "internal.h"

enum { SMOL_SCRATCH_SLOTS = 6 };

// Pool threads live as long as the process, so each keeps its buffers.
static _Thread_local struct {
    void *pointer;
    size_t bytes;
} smol_scratch_slots[SMOL_SCRATCH_SLOTS];

void *smol_scratch(int slot, size_t bytes) {
    if (slot < 0 || slot >= SMOL_SCRATCH_SLOTS) return NULL;
    if (smol_scratch_slots[slot].bytes < bytes) {
        free(smol_scratch_slots[slot].pointer);
        void *pointer = NULL;
        size_t rounded = (bytes + 4095) & ~(size_t)4095;
        if (posix_memalign(&pointer, 64, rounded) != 0) pointer = NULL;
        smol_scratch_slots[slot].pointer = pointer;
        smol_scratch_slots[slot].bytes = pointer ? rounded : 0;
    }
    return smol_scratch_slots[slot].pointer;
}

void smol_return_freed_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
