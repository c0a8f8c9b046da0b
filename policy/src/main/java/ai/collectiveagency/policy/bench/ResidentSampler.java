package ai.collectiveagency.policy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples this process's resident set and its Java heap every 20 ms on a daemon thread, and
 * keeps the sample with the highest resident set: which part of the bench ran then, and the
 * heap's used and committed bytes at that moment. {@code VmHWM} gives the peak but not what
 * made it. The heap's resident share lies between the two heap figures: G1 commits regions it
 * has not yet touched (2,420 MiB committed inside a sampled resident set of 2,575 in one bench),
 * and touched regions stay resident after their objects die.
 */
final class ResidentSampler implements AutoCloseable {

    /** Peaks of a part last seconds; a read of /proc/self/status takes tens of microseconds. */
    private static final long PERIOD_NANOS = 20_000_000;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile String part;
    private volatile boolean running = true;
    private Sample highest; // guarded by this

    /** One sample: resident set, the heap's committed and used bytes, and the part that ran. */
    record Sample(double rssMib, double heapCommittedMib, double heapUsedMib, String part) {}

    /** Starts sampling, the samples from now on counted to {@code firstPart}. */
    ResidentSampler(String firstPart) {
        part = firstPart;
        thread = new Thread(this::sampleUntilClosed, "resident-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Names the part of the bench that runs from now on. */
    void part(String name) {
        part = name;
    }

    /** The sample with the highest resident set so far, or null where /proc is unreadable. */
    synchronized Sample highest() {
        return highest;
    }

    /** The highest sample as the bench reports it. */
    Map<String, Object> report() {
        Sample sample = highest();
        Map<String, Object> out = new LinkedHashMap<>();
        if (sample == null) {
            return out;
        }
        out.put("part", sample.part());
        out.put("rss_mib", Math.round(sample.rssMib()));
        out.put("heap_committed_mib", Math.round(sample.heapCommittedMib()));
        out.put("heap_used_mib", Math.round(sample.heapUsedMib()));
        return out;
    }

    private void sampleUntilClosed() {
        while (running) {
            String partNow = part; // before the reads, so a sample never carries a later part
            double rss = PeakMemory.rssMib();
            if (rss < 0) {
                return; // no /proc: nothing to sample, and the report stays empty
            }
            MemoryUsage heap = memory.getHeapMemoryUsage();
            keepIfHighest(new Sample(rss, mib(heap.getCommitted()), mib(heap.getUsed()),
                    partNow));
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    private synchronized void keepIfHighest(Sample sample) {
        if (highest == null || sample.rssMib() > highest.rssMib()) {
            highest = sample;
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
