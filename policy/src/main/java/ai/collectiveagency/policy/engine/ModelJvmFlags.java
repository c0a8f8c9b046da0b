package ai.collectiveagency.policy.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags of every process that holds a model: the Vector API module the Java kernels
 * use, the heap on transparent huge pages (a decode step streams the weights from memory;
 * README, Speed), the JIT's trap limit ({@link JitTrapLimit}) and G1's heap growth
 * ({@link #HEAP_GROWTH}). Processes launched from Java take this list; {@code ./pipeline}'s
 * {@code model_jvm} is its copy for the shell, checked by a test, and the images pass the module
 * on their command line and the rest in their default {@code JDK_JAVA_OPTIONS}.
 */
public final class ModelJvmFlags {

    /** HotSpot's name of the setting {@link #HEAP_GROWTH} sets. */
    public static final String GC_TIME_RATIO = "GCTimeRatio";

    /**
     * G1 grows the heap when collections take more than 1/(1 + GCTimeRatio) of the time: 1/13
     * at G1's default (12), 1/5 here. A model process's warm-up (its kernels interpreted, each
     * Vector API operation allocating its result's array) collects often, and at the default G1
     * grew the heap far past its live data: at the bench's peak, in full fine-tuning, 796-1,920
     * MiB committed for 356-775 MiB used, in peaks of 2,613-2,929 MiB. With this ratio, in six
     * benches alternating with those six (Zen 5 VM, 2 cores): 672-836 MiB committed, peaks
     * 2,497-2,656 MiB, and training shares within the VM's noise of the default's (LoRA
     * 0.565-0.583 against 0.542-0.589, full 0.649-0.716 against 0.672-0.720; README, Speed).
     */
    public static final String HEAP_GROWTH = "-XX:" + GC_TIME_RATIO + "=4";

    /** In the order {@code ./pipeline} gives them. */
    public static final List<String> FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "-XX:+UseTransparentHugePages", JitTrapLimit.FLAG, HEAP_GROWTH);

    private ModelJvmFlags() {}

    /** This JVM's value of a HotSpot option, e.g. {@code GCTimeRatio}, where it reports one. */
    public static Optional<String> current(String option) {
        try {
            HotSpotDiagnosticMXBean hotSpot =
                    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? Optional.empty()
                    : Optional.of(hotSpot.getVMOption(option).getValue());
        } catch (IllegalArgumentException e) { // no such option
            return Optional.empty();
        }
    }
}
