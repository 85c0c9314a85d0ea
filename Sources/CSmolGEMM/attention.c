#include "internal.h"

// One frame and head. Keys are the rows of a transposed score block
// Sᵀ = K·Q_blockᵀ ([keys][queries]), so the softmax runs down its columns and its
// exponentials are already laid out as the left operand of E·V: no transposes.
size_t smol_attention_task_count(const smol_attention_params *p) {
    return p->tokens == 0 ? 0 : p->frames * p->heads;
}

int smol_attention_run_task(const smol_attention_params *p, size_t task) {
    const smol_kernels *kernels = smol_kernels_for(p->precision, p->isa);
    size_t frame = task / p->heads, head = task % p->heads;
    if (frame >= p->frames) return 0;
    size_t tokens = p->tokens, dim = p->head_dim;
    const float *rows = p->qkv + frame * tokens * p->ld_qkv;
    const float *q = rows + p->q_offset + head * dim;
    const float *k = rows + p->k_offset + head * dim;
    const float *v = rows + p->v_offset + head * dim;
    const float *mask = p->key_mask ? p->key_mask + frame * tokens : NULL;

    size_t dim_units = smol_k_units(p->precision, dim), token_units = smol_k_units(p->precision, tokens);
    size_t key_panels = (tokens + SMOL_MR - 1) / SMOL_MR;
    size_t value_panels = (dim + SMOL_NR - 1) / SMOL_NR;
    const size_t query_panels = SMOL_QB / SMOL_NR, query_micro_panels = SMOL_QB / SMOL_MR;
    uint32_t *keys = smol_scratch(0, key_panels * dim_units * SMOL_MR * sizeof(uint32_t));
    uint32_t *values = smol_scratch(2, value_panels * token_units * SMOL_NR * sizeof(uint32_t));
    uint32_t *queries = smol_scratch(3, query_panels * dim_units * SMOL_NR * sizeof(uint32_t));
    // Sᵀ needs key_panels·MR rows for the full tiles the product writes.
    float *scores = smol_scratch(4, key_panels * SMOL_MR * SMOL_QB * sizeof(float));
    uint32_t *pairs = p->precision == SMOL_PRECISION_BF16
        ? smol_scratch(5, token_units * SMOL_QB * sizeof(uint32_t)) : NULL;
    size_t tile_count = key_panels * query_panels > query_micro_panels * value_panels
        ? key_panels * query_panels : query_micro_panels * value_panels;
    float *tiles = smol_scratch(1, tile_count * SMOL_MR * SMOL_NR * sizeof(float) + SMOL_QB * sizeof(float));
    if (!keys || !values || !queries || !scores || !tiles) return -1;
    if (p->precision == SMOL_PRECISION_BF16 && !pairs) return -1;
    float *inverse_sum = tiles + tile_count * SMOL_MR * SMOL_NR;

    kernels->pack_a(k, p->ld_qkv, tokens, dim, keys);
    kernels->pack_b_kn(v, p->ld_qkv, dim, tokens, values);

    for (size_t q0 = 0; q0 < tokens; q0 += SMOL_QB) {
        size_t count = tokens - q0 < SMOL_QB ? tokens - q0 : SMOL_QB;
        size_t panels = (count + SMOL_NR - 1) / SMOL_NR;
        kernels->pack_b_nk(q + q0 * p->ld_qkv, p->ld_qkv, count, dim, queries);

        // Sᵀ = scale · K·Qᵀ, one tile row of keys at a time.
        smol_block_product(kernels, dim_units, keys, dim_units * SMOL_MR, SMOL_MR, key_panels, queries,
                           dim_units * SMOL_NR, panels, tiles);
        smol_epilogue store = {p->scale, NULL, NULL, SMOL_ACTIVATION_NONE, NULL, 0, scores, SMOL_QB};
        for (size_t mp = 0; mp < key_panels; mp++) {
            size_t tile_rows = tokens - mp * SMOL_MR < SMOL_MR ? tokens - mp * SMOL_MR : SMOL_MR;
            for (size_t np = 0; np < panels; np++) {
                size_t cols = count - np * SMOL_NR < SMOL_NR ? count - np * SMOL_NR : SMOL_NR;
                kernels->epilogue(tiles + (mp * panels + np) * SMOL_MR * SMOL_NR, tile_rows, cols, &store,
                                  mp * SMOL_MR, np * SMOL_NR);
            }
        }

        kernels->column_softmax(scores, tokens, SMOL_QB, count, mask, pairs, inverse_sum);

        // O = E·V / Σe: query micro-panel j of E starts at column j·MR of Sᵀ (or of the pairs).
        size_t micro_panels = (count + SMOL_MR - 1) / SMOL_MR;
        const uint32_t *e = pairs ? pairs : (const uint32_t *)scores;
        smol_block_product(kernels, token_units, e, SMOL_MR, SMOL_QB, micro_panels, values, token_units * SMOL_NR,
                           value_panels, tiles);
        smol_epilogue output = {1, NULL, inverse_sum, SMOL_ACTIVATION_NONE, NULL, 0,
                                p->out + (frame * tokens + q0) * p->ld_out + head * dim, p->ld_out};
        for (size_t mp = 0; mp < micro_panels; mp++) {
            size_t tile_rows = count - mp * SMOL_MR < SMOL_MR ? count - mp * SMOL_MR : SMOL_MR;
            for (size_t np = 0; np < value_panels; np++) {
                size_t cols = dim - np * SMOL_NR < SMOL_NR ? dim - np * SMOL_NR : SMOL_NR;
                kernels->epilogue(tiles + (mp * value_panels + np) * SMOL_MR * SMOL_NR, tile_rows, cols, &output,
                                  mp * SMOL_MR, np * SMOL_NR);
            }
        }
    }
    return 0;
}
