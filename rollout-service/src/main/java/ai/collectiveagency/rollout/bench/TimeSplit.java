package ai.collectiveagency.rollout.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's wall time went, in disjoint parts that add up to it: the model (generation calls
 * of the turns and resolutions), templating (chat rendering, encoding, decoding of those), the
 * agreement checks (the policy judge's calls: its model part, its templating, the rest), Avro
 * serialization, and everything else (bookkeeping, building the records, garbage collection,
 * waiting). {@code other} is the remainder, so a negative one would mean parts overlap.
 */
record TimeSplit(long wallNanos, RunClocks.Reading clocks, long avroNanos) {

    long otherNanos() {
        return wallNanos - clocks.model() - clocks.text() - clocks.agreement() - avroNanos;
    }

    /** Model time, the judge's included: what is not "outside the model". */
    long allModelNanos() {
        return clocks.model() + clocks.judgeModel();
    }

    /** Seconds and shares of the wall time, as the bench's JSON {@code time_split}. */
    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_s", seconds(wallNanos));
        out.put("model_s", seconds(clocks.model()));
        out.put("templating_s", seconds(clocks.text()));
        out.put("agreement_s", seconds(clocks.agreement()));
        out.put("agreement_model_s", seconds(clocks.judgeModel()));
        out.put("agreement_templating_s", seconds(clocks.judgeText()));
        out.put("agreement_other_s", seconds(clocks.agreement() - clocks.judgeModel()
                - clocks.judgeText()));
        out.put("avro_s", seconds(avroNanos));
        out.put("other_s", seconds(otherNanos()));
        Map<String, Object> shares = new LinkedHashMap<>();
        shares.put("model", share(clocks.model()));
        shares.put("templating", share(clocks.text()));
        shares.put("agreement", share(clocks.agreement()));
        shares.put("agreement_model", share(clocks.judgeModel()));
        shares.put("avro", share(avroNanos));
        shares.put("other", share(otherNanos()));
        shares.put("outside_model", share(wallNanos - allModelNanos()));
        out.put("shares", shares);
        return out;
    }

    private double share(long nanos) {
        return Math.round((double) nanos / wallNanos * 10000) / 10000.0;
    }

    /** Seconds to the microsecond: a short run's Avro or templating takes under a millisecond. */
    private static double seconds(long nanos) {
        return Math.round(nanos / 1e3) / 1e6;
    }
}
