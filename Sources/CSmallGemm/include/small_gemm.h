// A matrix product for few rows against a fixed weight: c[m, n] (+)= a[m, k] · wᵀ, where the weight
// w [n, k] (PyTorch's [out, in] layout) was packed once into column panels. OpenBLAS packs its
// operands on every call; with a handful of rows (one sentence of a text encoder) that copy of the
// weight costs as much as the arithmetic, and this kernel reads the pre-packed panels instead.
#ifndef DUET_SMALL_GEMM_H
#define DUET_SMALL_GEMM_H

#ifdef __cplusplus
extern "C" {
#endif

/// Columns per panel.
enum { duet_small_gemm_panel_width = 16 };

/// Floats `duet_small_gemm_pack` writes for a weight of n rows (outputs) and k columns (inputs):
/// ceil(n / 16) panels of k × 16, the last one zero-padded.
long duet_small_gemm_packed_count(long n, long k);

/// Packs w [n, k] row-major into panels: packed[p][i][j] = w[(16 p + j) k + i], zero where
/// 16 p + j >= n.
void duet_small_gemm_pack(const float *w, long n, long k, float *packed);

/// c[r, j] = (accumulate ? c[r, j] : 0) + Σ_i a[r, i] w[j, i] for r < m and the columns j of panels
/// [panel_begin, panel_end); c is row-major with n columns. Each output is one sum in i order, so the
/// result does not depend on how the panels are split between threads.
void duet_small_gemm(const float *a, long m, long k, const float *packed, long n,
                     long panel_begin, long panel_end, float *c, int accumulate);

/// The same product by the portable loop whatever the processor (for tests of both paths).
void duet_small_gemm_portable(const float *a, long m, long k, const float *packed, long n,
                              long panel_begin, long panel_end, float *c, int accumulate);

/// 1 when the AVX2 + FMA kernel runs on this processor, 0 for the portable loop.
int duet_small_gemm_uses_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
