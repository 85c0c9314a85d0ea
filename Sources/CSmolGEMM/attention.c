#include "internal.h"

// One frame and head, SMOL_QB queries at a time. Keys are the rows of a transposed
// score block Sᵀ = K·Q_blockᵀ ([keys][queries], kept as the product's register
// tiles), so the softmax runs down its columns and writes its exponentials
// already laid out as the left operand of E·V: no transposes, no score matrix
// for the whole head.
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

    const size_t tile = SMOL_MR * SMOL_NR;
    size_t dim_units = smol_k_units(p->precision, dim), token_units = smol_k_units(p->precision, tokens);
    size_t key_panels = (tokens + SMOL_MR - 1) / SMOL_MR;
    size_t value_panels = (dim + SMOL_NR - 1) / SMOL_NR;
    const size_t query_panels = SMOL_QB / SMOL_NR, query_micro_panels = SMOL_QB / SMOL_MR;
    uint32_t *keys = smol_scratch(0, key_panels * dim_units * SMOL_MR * sizeof(uint32_t));
    uint32_t *values = smol_scratch(2, value_panels * token_units * SMOL_NR * sizeof(uint32_t));
    uint32_t *queries = smol_scratch(3, query_panels * dim_units * SMOL_NR * sizeof(uint32_t));
    float *scores = smol_scratch(4, key_panels * query_panels * tile * sizeof(float));
    // Exponentials: float32 rows or bfloat16 pairs of rows, SMOL_QB wide.
    uint32_t *exps = smol_scratch(5, token_units * SMOL_QB * sizeof(uint32_t));
    float *output = smol_scratch(1, (query_micro_panels * value_panels * tile + SMOL_QB) * sizeof(float));
    if (!keys || !values || !queries || !scores || !exps || !output) return -1;
    float *inverse_sum = output + query_micro_panels * value_panels * tile;
    int pairs = p->precision == SMOL_PRECISION_BF16;

    kernels->pack_a(k, p->ld_qkv, tokens, dim, keys);
    kernels->pack_b_kn(v, p->ld_qkv, dim, tokens, values);

    for (size_t q0 = 0; q0 < tokens; q0 += SMOL_QB) {
        size_t count = tokens - q0 < SMOL_QB ? tokens - q0 : SMOL_QB;
        size_t panels = (count + SMOL_NR - 1) / SMOL_NR;
        kernels->pack_b_nk(q + q0 * p->ld_qkv, p->ld_qkv, count, dim, queries);
        smol_block_product(kernels, dim_units, keys, dim_units * SMOL_MR, SMOL_MR, key_panels, queries,
                           dim_units * SMOL_NR, panels, scores);
        kernels->column_softmax(scores, panels, tokens, count, p->scale, mask, pairs ? NULL : (float *)exps,
                                pairs ? exps : NULL, inverse_sum);

        // O = E·V / Σe: query micro-panel j of E starts at column j·MR.
        size_t micro_panels = (count + SMOL_MR - 1) / SMOL_MR;
        smol_block_product(kernels, token_units, exps, SMOL_MR, SMOL_QB, micro_panels, values, token_units * SMOL_NR,
                           value_panels, output);
        smol_epilogue store = {1, NULL, inverse_sum, SMOL_ACTIVATION_NONE, NULL, 0,
                               p->out + (frame * tokens + q0) * p->ld_out + head * dim, p->ld_out};
        for (size_t mp = 0; mp < micro_panels; mp++) {
            size_t tile_rows = count - mp * SMOL_MR < SMOL_MR ? count - mp * SMOL_MR : SMOL_MR;
            for (size_t np = 0; np < value_panels; np++) {
                size_t cols = dim - np * SMOL_NR < SMOL_NR ? dim - np * SMOL_NR : SMOL_NR;
                kernels->epilogue(output + (mp * value_panels + np) * tile, tile_rows, cols, &store, mp * SMOL_MR,
                                  np * SMOL_NR);
            }
        }
    }
    return 0;
}
