package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.engine.EnumProperty;

/**
 * Where {@link Llama} computes attention in a training pass, one autograd records
 * ({@link Llama#trainingStates}): the engine's ops, or Java's forward and backward
 * ({@link TrainingAttention}) with the graph cut around them ({@link LayerCuts}).
 *
 * <p>The engine's attention of a GRPO step of the 40M bench model (8 x 256 tokens) took about
 * 0.24 s of its engine time on the Zen 5 VM (AMD EPYC, 2 cores, 2026-12-07): its batched
 * products (K = 64) ran at 120-180 GFLOP/s, and its masked softmax, forward and backward, kept
 * the (B, H, T, T) probabilities of every layer.
 *
 * <p>The default is {@link #JAVA} on AMD from Zen 5 on, where that was measured, and
 * {@link #ENGINE} elsewhere. Java attends only for a float32 model on the CPU in a JVM with the
 * {@code jdk.incubator.vector} module; elsewhere the engine does.
 */
public enum RecordedAttention {

    /** The engine's batched products, mask and softmax, recorded op by op. */
    ENGINE,

    /** {@link TrainingAttention}'s forward and backward in Java. */
    JAVA;

    /** System property that overrides the default: {@code ENGINE} or {@code JAVA}. */
    public static final String PROPERTY = "policy.training.attention";

    /** The backend named by {@link #PROPERTY}, else this CPU's default. */
    public static RecordedAttention configured() {
        return EnumProperty.read(PROPERTY, RecordedAttention.class,
                () -> forCpu(CpuId.vendor(), CpuId.family()), "a backend");
    }

    /** The default for a CPU of /proc/cpuinfo's {@code vendor_id} and {@code cpu family}. */
    static RecordedAttention forCpu(String vendor, int family) {
        return CpuId.zen5OrLater(vendor, family) ? JAVA : ENGINE;
    }
}
