package ai.collectiveagency.policy.scoring;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.decode.TransposedProduct;
import ai.collectiveagency.policy.engine.EnumProperty;

/**
 * Who computes the output head's three products in a training pass ({@link
 * TokenScorer#scoreAndBackward}): the logits X·Eᵀ, the hidden states' gradient G·E and the
 * head's own gradient Gᵀ·X, for X (n, D) final hidden states, E (V, D) the head and G (n, V)
 * the logits' gradient. With a 32,000-token vocabulary the head is about a third of a GRPO
 * step's FLOPs for the 40M bench model.
 *
 * <p>{@link #ENGINE}: the engine's matrix products (MKL's sgemm). {@link #JAVA}: the Java decoder's
 * panel kernels ({@link JavaHead}) for the logits and X's gradient, and {@link TransposedProduct}'s
 * for the head's gradient, needed only when the head is trained. On the Zen 5 VM (AMD EPYC, 2
 * cores, 2026-12-06) one slice of 524 positions (X 524 x 512, E 32,000 x 512) took, best of 5 in
 * one process: logits 37-38 ms in Java against 97-98 with sgemm (448-461 against 176-178 GFLOP/s),
 * X's gradient 43-45 against 83-85 ms (384-398 against 203-208), the head's gradient 45.5 against
 * 93-98 (2026-12-07). oneDNN's 1x1 convolution was no answer there: 68-71 ms for the logits,
 * 123-138 for X's gradient.
 *
 * <p>The default is {@link #JAVA} on AMD from Zen 5 on, where that was measured, and
 * {@link #ENGINE} elsewhere. Passes of fewer than {@link JavaHead#MIN_ROWS} scored positions,
 * arrays the engine keeps elsewhere than in float32 on the CPU, always take the engine.
 */
public enum HeadProducts {

    /** The engine's matrix products. */
    ENGINE,

    /** Java kernels for the logits, the hidden states' gradient and the head's gradient. */
    JAVA;

    /** System property that overrides the default: {@code ENGINE} or {@code JAVA}. */
    public static final String PROPERTY = "policy.training.head";

    /** The products named by {@link #PROPERTY}, else this CPU's default. */
    public static HeadProducts configured() {
        return EnumProperty.read(PROPERTY, HeadProducts.class,
                () -> forCpu(CpuId.vendor(), CpuId.family()), "a way to compute the output head");
    }

    /** The default for a CPU of /proc/cpuinfo's {@code vendor_id} and {@code cpu family}. */
    static HeadProducts forCpu(String vendor, int family) {
        return CpuId.zen5OrLater(vendor, family) ? JAVA : ENGINE;
    }
}
