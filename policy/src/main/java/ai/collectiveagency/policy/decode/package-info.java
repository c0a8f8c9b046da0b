/**
 * Decoding on the CPU in plain Java: the per-token forward pass of a {@code Llama} over a Java KV
 * cache, with hand-written Vector API kernels.
 *
 * <p>Why hand-written kernels: a decode step multiplies a handful of rows (one per sequence) by
 * every weight matrix, and MKL's small-M gemm/gemv were measured slow for that here. On the
 * 2-core EPYC bench machine the 32000x512 output head took ~6.9 ms at batch 1 (about 9 GB/s of
 * weights) and 9-14 ms at batch 16 (about 45 GFLOP/s) through PyTorch, for 39 and 346 tokens/s
 * end to end. Here the weights are repacked once into column panels and a register-blocked FMA
 * kernel streams them at memory speed for one row and reuses each loaded weight vector across
 * four rows (eight with AVX-512, {@link ai.collectiveagency.policy.decode.PanelTiling}), without
 * horizontal sums: the head takes ~1.6 ms at batch 1 and ~4.3 ms at batch 16 (~120 GFLOP/s), and
 * decoding runs at ~150 and ~1,050-1,200 tokens/s. One core of the Zen 4 bench machine reaches
 * ~100 GFLOP/s in either tiling on cache-resident panels; the 8-row kernel reads a panel half as
 * often, which counts where the weights come from memory (the head at batch 16 and up), and on
 * cores with two 512-bit FMA units.
 *
 * <p>The pieces: {@link ai.collectiveagency.policy.decode.PanelMatmul} (Y = X·Wᵀ + b over
 * {@link ai.collectiveagency.policy.decode.PackedMatrix} weights),
 * {@link ai.collectiveagency.policy.decode.DecodeWeights} (float[] copies of a model's weights,
 * LoRA merged), {@link ai.collectiveagency.policy.decode.JavaKvCache} and
 * {@link ai.collectiveagency.policy.decode.JavaDecoder} (one decode step for a batch).
 */
package ai.collectiveagency.policy.decode;
