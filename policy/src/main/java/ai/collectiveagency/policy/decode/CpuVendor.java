package ai.collectiveagency.policy.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU's vendor, as /proc/cpuinfo's {@code vendor_id} gives it ("AuthenticAMD",
 * "GenuineIntel"), for defaults measured to differ between vendors ({@link PanelStreams}, the
 * Java prefill's size in {@code sampling.Generator}).
 *
 * <p>Usage: {@code if (CpuVendor.isAmd()) ...}
 */
public final class CpuVendor {

    /** /proc/cpuinfo's {@code vendor_id} of AMD's CPUs. */
    public static final String AMD = "AuthenticAMD";

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuVendor() {}

    /** This machine's {@code vendor_id}, or "" where /proc/cpuinfo cannot be read (not Linux). */
    public static String id() {
        return Cached.ID;
    }

    /** Whether this machine's CPU is AMD's. */
    public static boolean isAmd() {
        return AMD.equals(id());
    }

    private static final class Cached { // read once, on first use
        static final String ID = read();
    }

    private static String read() {
        try {
            List<String> lines = Files.readAllLines(CPUINFO);
            return lines.stream().filter(l -> l.startsWith("vendor_id"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
