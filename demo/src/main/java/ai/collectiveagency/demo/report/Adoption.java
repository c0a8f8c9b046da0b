package ai.collectiveagency.demo.report;

/**
 * How long a checkpoint took from its announcement to every rollout replica serving it.
 *
 * @param version the checkpoint's version
 * @param announcedMs the announcement's record timestamp on the checkpoints topic (epoch ms)
 * @param allServingMs the first scrape at which every running rollout replica served it or a
 *     newer version (epoch ms); the scrape period bounds the precision
 */
public record Adoption(long version, long announcedMs, long allServingMs) {

    public long lagMs() {
        return allServingMs - announcedMs;
    }
}
