package ai.collectiveagency.policy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident-set figures of this process from {@code /proc/self/status} (Linux). */
final class PeakMemory {

    private PeakMemory() {}

    /** Peak resident set in MiB, or -1 where /proc is not available. */
    static double peakRssMib() {
        return field("VmHWM:");
    }

    /** Current resident set in MiB, or -1 where /proc is not available. */
    static double rssMib() {
        return field("VmRSS:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
