#include "internal.h"

// Tasks are blocks of SMOL_MB rows times groups of whole panels; a task packs its
// rows once and sweeps its columns in SMOL_NB-wide blocks.
static size_t column_groups(const smol_gemm_params *p, size_t threads) {
    size_t row_blocks = (p->m + SMOL_MB - 1) / SMOL_MB;
    size_t panels = (p->n + SMOL_NR - 1) / SMOL_NR;
    // Enough tasks that uneven ones still balance over the threads.
    size_t wanted = 4 * (threads ? threads : 1);
    size_t groups = row_blocks >= wanted ? 1 : (wanted + row_blocks - 1) / row_blocks;
    return groups > panels ? panels : groups;
}

size_t smol_gemm_task_count(const smol_gemm_params *p, size_t threads) {
    if (p->m == 0 || p->n == 0) return 0;
    return ((p->m + SMOL_MB - 1) / SMOL_MB) * column_groups(p, threads);
}

int smol_gemm_run_task(const smol_gemm_params *p, size_t task, size_t task_count) {
    const smol_kernels *kernels = smol_kernels_for(p->precision, p->isa);
    size_t row_blocks = (p->m + SMOL_MB - 1) / SMOL_MB;
    size_t groups = task_count / row_blocks;
    if (groups == 0 || task >= task_count) return 0;
    size_t block = task / groups, group = task % groups;
    size_t row0 = block * SMOL_MB, rows = p->m - row0 < SMOL_MB ? p->m - row0 : SMOL_MB;
    size_t panels = (p->n + SMOL_NR - 1) / SMOL_NR;
    size_t first_panel = panels * group / groups, end_panel = panels * (group + 1) / groups;

    size_t units = smol_k_units(p->precision, p->k);
    size_t mpanels = (rows + SMOL_MR - 1) / SMOL_MR;
    uint32_t *a = smol_scratch(0, mpanels * units * SMOL_MR * sizeof(uint32_t) + 64);
    float *tiles = smol_scratch(1, mpanels * (SMOL_NB / SMOL_NR) * SMOL_MR * SMOL_NR * sizeof(float));
    if (!a || !tiles) return -1;
    if (units == 0) {
        // An empty depth: the product is zero; the epilogue still applies.
        for (size_t i = 0; i < mpanels * (SMOL_NB / SMOL_NR) * SMOL_MR * SMOL_NR; i++) tiles[i] = 0;
    } else {
        kernels->pack_a(p->a + row0 * p->lda, p->lda, rows, p->k, a);
    }

    smol_epilogue e = {p->alpha, p->bias, p->row_scale, p->activation, p->residual, p->ld_residual, p->c, p->ldc};
    const uint32_t *b = p->b_packed;
    for (size_t panel = first_panel; panel < end_panel; panel += SMOL_NB / SMOL_NR) {
        size_t npanels = end_panel - panel < SMOL_NB / SMOL_NR ? end_panel - panel : SMOL_NB / SMOL_NR;
        if (units > 0) {
            smol_block_product(kernels, units, a, units * SMOL_MR, SMOL_MR, mpanels, b + panel * units * SMOL_NR,
                               units * SMOL_NR, npanels, tiles);
        }
        for (size_t mp = 0; mp < mpanels; mp++) {
            size_t tile_rows = rows - mp * SMOL_MR < SMOL_MR ? rows - mp * SMOL_MR : SMOL_MR;
            for (size_t np = 0; np < npanels; np++) {
                size_t col0 = (panel + np) * SMOL_NR;
                size_t cols = p->n - col0 < SMOL_NR ? p->n - col0 : SMOL_NR;
                const float *tile = units > 0 ? tiles + (mp * npanels + np) * SMOL_MR * SMOL_NR : tiles;
                kernels->epilogue(tile, tile_rows, cols, &e, row0 + mp * SMOL_MR, col0);
            }
        }
    }
    return 0;
}
