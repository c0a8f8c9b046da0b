package ai.collectiveagency.scoring;

import java.util.Map;
import java.util.Objects;

/** A scorer's result for one text: a reward with its breakdown, or unscorable with the reason. */
public sealed interface Verdict {

    /**
     * @param reward the scalar reward
     * @param breakdown score per rubric dimension or component, e.g. {@code knowledge -> 4}
     */
    record Scored(double reward, Map<String, Double> breakdown) implements Verdict {
        public Scored {
            if (!Double.isFinite(reward)) {
                throw new IllegalArgumentException("reward must be finite, was " + reward);
            }
            breakdown = Map.copyOf(breakdown);
        }
    }

    /**
     * No score could be obtained; never a silent 0.
     *
     * @param judgeUnreachable the judge gave no answer (an outage, {@code ChatFailure}
     *     {@code unreachable()}), rather than an answer that could not be used: a group with such
     *     a verdict may be held and scored again ({@code reward.on-outage=wait})
     */
    record Unscorable(String reason, boolean judgeUnreachable) implements Verdict {
        public Unscorable {
            Objects.requireNonNull(reason, "reason");
        }

        /** Unscorable for what the text or the answer was, not for an outage. */
        public Unscorable(String reason) {
            this(reason, false);
        }
    }
}
