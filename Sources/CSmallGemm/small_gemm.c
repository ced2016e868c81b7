// The small-row matrix product of small_gemm.h: a 6 × 16 register tile (12 AVX accumulators, the
// weight panel's two vectors and one broadcast input), chosen at run time when the processor has
// AVX2 and FMA, else a portable loop with the same panel order.
#include "small_gemm.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define DUET_SMALL_GEMM_X86 1
#else
#define DUET_SMALL_GEMM_X86 0
#endif

enum { panel_width = duet_small_gemm_panel_width, tile_rows = 6 };

long duet_small_gemm_packed_count(long n, long k) {
    return ((n + panel_width - 1) / panel_width) * k * panel_width;
}

void duet_small_gemm_pack(const float *w, long n, long k, float *packed) {
    long panels = (n + panel_width - 1) / panel_width;
    for (long p = 0; p < panels; p++) {
        float *panel = packed + p * k * panel_width;
        for (long j = 0; j < panel_width; j++) {
            long row = p * panel_width + j;
            for (long i = 0; i < k; i++) panel[i * panel_width + j] = row < n ? w[row * k + i] : 0.0f;
        }
    }
}

/// Writes a tile's sums into c: `valid` columns of `rows` rows, added to c when accumulating.
static inline void store_tile(const float sums[tile_rows][panel_width], long rows, long valid,
                              float *c, long ldc, int accumulate) {
    for (long r = 0; r < rows; r++)
        for (long j = 0; j < valid; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + sums[r][j] : sums[r][j];
}

static void tile_portable(const float *a, long k, const float *panel, long rows, float *c, long ldc,
                          long valid, int accumulate) {
    float sums[tile_rows][panel_width] = {{0}};
    for (long i = 0; i < k; i++) {
        const float *weights = panel + i * panel_width;
        for (long r = 0; r < rows; r++) {
            float x = a[r * k + i];
            for (long j = 0; j < panel_width; j++) sums[r][j] += x * weights[j];
        }
    }
    store_tile(sums, rows, valid, c, ldc, accumulate);
}

void duet_small_gemm_portable(const float *a, long m, long k, const float *packed, long n,
                              long panel_begin, long panel_end, float *c, int accumulate) {
    for (long p = panel_begin; p < panel_end; p++) {
        const float *panel = packed + p * k * panel_width;
        long column = p * panel_width;
        long valid = n - column < panel_width ? n - column : panel_width;
        for (long row = 0; row < m; row += tile_rows) {
            long rows = m - row < tile_rows ? m - row : tile_rows;
            tile_portable(a + row * k, k, panel, rows, c + row * n + column, n, valid, accumulate);
        }
    }
}

#if DUET_SMALL_GEMM_X86
/// One tile of `rows` (a constant after inlining into the switch below) by 16 columns.
__attribute__((target("avx2,fma"), always_inline)) static inline void
tile_avx2(const float *a, long k, const float *panel, const long rows, float *c, long ldc, long valid, int accumulate) {
    __m256 low[tile_rows], high[tile_rows];
    for (long r = 0; r < tile_rows; r++) {
        low[r] = _mm256_setzero_ps();
        high[r] = _mm256_setzero_ps();
    }
    for (long i = 0; i < k; i++) {
        __m256 weights_low = _mm256_loadu_ps(panel + i * panel_width);
        __m256 weights_high = _mm256_loadu_ps(panel + i * panel_width + 8);
        for (long r = 0; r < tile_rows; r++) {
            if (r < rows) {
                __m256 x = _mm256_broadcast_ss(a + r * k + i);
                low[r] = _mm256_fmadd_ps(x, weights_low, low[r]);
                high[r] = _mm256_fmadd_ps(x, weights_high, high[r]);
            }
        }
    }
    if (valid == panel_width) {
        for (long r = 0; r < rows; r++) {
            float *out = c + r * ldc;
            if (accumulate) {
                low[r] = _mm256_add_ps(_mm256_loadu_ps(out), low[r]);
                high[r] = _mm256_add_ps(_mm256_loadu_ps(out + 8), high[r]);
            }
            _mm256_storeu_ps(out, low[r]);
            _mm256_storeu_ps(out + 8, high[r]);
        }
    } else {
        float sums[tile_rows][panel_width];
        for (long r = 0; r < rows; r++) {
            _mm256_storeu_ps(sums[r], low[r]);
            _mm256_storeu_ps(sums[r] + 8, high[r]);
        }
        store_tile((const float (*)[panel_width])sums, rows, valid, c, ldc, accumulate);
    }
}

__attribute__((target("avx2,fma"))) static void
small_gemm_avx2(const float *a, long m, long k, const float *packed, long n, long panel_begin, long panel_end,
                float *c, int accumulate) {
    for (long p = panel_begin; p < panel_end; p++) {
        const float *panel = packed + p * k * panel_width;
        long column = p * panel_width;
        long valid = n - column < panel_width ? n - column : panel_width;
        for (long row = 0; row < m; row += tile_rows) {
            const float *in = a + row * k;
            float *out = c + row * n + column;
            switch (m - row < tile_rows ? m - row : tile_rows) {
            case 6: tile_avx2(in, k, panel, 6, out, n, valid, accumulate); break;
            case 5: tile_avx2(in, k, panel, 5, out, n, valid, accumulate); break;
            case 4: tile_avx2(in, k, panel, 4, out, n, valid, accumulate); break;
            case 3: tile_avx2(in, k, panel, 3, out, n, valid, accumulate); break;
            case 2: tile_avx2(in, k, panel, 2, out, n, valid, accumulate); break;
            default: tile_avx2(in, k, panel, 1, out, n, valid, accumulate); break;
            }
        }
    }
}
#endif

int duet_small_gemm_uses_avx2(void) {
#if DUET_SMALL_GEMM_X86
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

void duet_small_gemm(const float *a, long m, long k, const float *packed, long n,
                     long panel_begin, long panel_end, float *c, int accumulate) {
#if DUET_SMALL_GEMM_X86
    if (duet_small_gemm_uses_avx2()) {
        small_gemm_avx2(a, m, k, packed, n, panel_begin, panel_end, c, accumulate);
        return;
    }
#endif
    duet_small_gemm_portable(a, m, k, packed, n, panel_begin, panel_end, c, accumulate);
}
