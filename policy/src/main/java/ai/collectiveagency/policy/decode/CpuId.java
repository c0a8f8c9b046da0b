package ai.collectiveagency.policy.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU's vendor, family and other fields, as /proc/cpuinfo gives them ({@code vendor_id}
 * "AuthenticAMD" or "GenuineIntel", {@code cpu family} 25 for AMD's Zen 3 and 4, 26 for Zen 5),
 * read once: for defaults measured to differ between CPUs ({@link PanelStreams}, the Java
 * prefill's size in {@code sampling.Generator}) and for the benches' machine figures.
 *
 * <p>Usage: {@code if (CpuId.AMD.equals(CpuId.vendor()) && CpuId.family() >= CpuId.ZEN_5) ...}
 */
public final class CpuId {

    /** /proc/cpuinfo's {@code vendor_id} of AMD's CPUs. */
    public static final String AMD = "AuthenticAMD";
    /** AMD's {@code cpu family} from Zen 5 on. */
    public static final int ZEN_5 = 26;

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuId() {}

    /** This machine's {@code vendor_id}, or "" where /proc/cpuinfo cannot be read (not Linux). */
    public static String vendor() {
        return Cached.VENDOR;
    }

    /** This machine's {@code cpu family}, or -1 where /proc/cpuinfo does not give it. */
    public static int family() {
        return Cached.FAMILY;
    }

    /**
     * Whether a CPU of this {@code vendor_id} and {@code cpu family} is AMD's Zen 5 or later,
     * where the engine's MKL sgemm was measured on about AVX2's path (94 GFLOP/s on one core)
     * while oneDNN's kernels and the Java kernels use AVX-512.
     */
    public static boolean zen5OrLater(String vendor, int family) {
        return AMD.equals(vendor) && family >= ZEN_5;
    }

    /** This machine's first value of /proc/cpuinfo's {@code key} ("model name", "flags"), or "". */
    public static String field(String key) {
        return field(Cached.LINES, key);
    }

    private static final class Cached { // read once, on first use: every field of one read
        static final List<String> LINES = read();
        static final String VENDOR = field(LINES, "vendor_id");
        static final int FAMILY = parseFamily(field(LINES, "cpu family"));
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(CPUINFO);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** The first value of {@code key} in /proc/cpuinfo's lines, or "". */
    static String field(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key) && l.indexOf(':') > 0
                        && l.substring(0, l.indexOf(':')).strip().equals(key))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
    }

    private static int parseFamily(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
