package ai.collectiveagency.policy.engine;

import java.util.Map;

/**
 * The glibc malloc settings of every process that trains: environment variables, read by glibc
 * when the process starts, so the launchers set them ({@code ./pipeline}, the trainer-service's
 * images, the demo's fleet).
 *
 * <p>A GRPO step makes and frees the same large tensors every time (activations, each slice's
 * logits, the head's 65 MB weight gradient). Under glibc's defaults PyTorch's allocations come
 * from per-thread arenas whose large blocks go back to the kernel when freed, and each step
 * faults them in again: the kernel zeroes every page first. Measured on the ~40M bench model
 * (Intel AMX VM, 2 cores): 320,000 page faults a step, 16% of the samples in the kernel's page
 * clearing, a full fine-tuning step 3.19-3.39 s. One arena, no mmap-ed blocks and no trimming
 * keep the freed memory for the next step: 6,000 faults a step, 2.64-2.73 s (LoRA 2.17-2.19
 * against 2.25-2.31), the peak flat over 30 steps. Glibc's per-thread arenas are why fixed
 * thresholds alone did not help: the engine allocates from the JVM's threads, whose arenas keep
 * to heaps of 64 MiB, shrink them as blocks are freed and map larger blocks. A process that
 * mixes workloads pays for the kept memory: the bench's peak, 2,601-2,743 MiB before, reached
 * 2,855-3,134 with full fine-tuning timed before LoRA (2,593-2,941 timed after it). Prefill
 * alone is the same either way, so serving processes keep glibc's defaults.
 */
public final class TrainingMalloc {

    /** One arena for all threads, no mmap-ed blocks, freed memory kept (up to 4 GiB free). */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "1",
            "MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_", "4294967296");

    private TrainingMalloc() {}

    /** Whether {@code environment} (a process's, as {@link System#getenv()}) sets all of them. */
    public static boolean inEffect(Map<String, String> environment) {
        return ENVIRONMENT.entrySet().stream()
                .allMatch(e -> e.getValue().equals(environment.get(e.getKey())));
    }
}
