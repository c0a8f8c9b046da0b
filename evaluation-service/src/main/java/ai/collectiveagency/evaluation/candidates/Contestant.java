package ai.collectiveagency.evaluation.candidates;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.model.LinearAdapter;
import java.util.Objects;

/**
 * A policy taking part in an evaluation: the base model (version 0), a LORA adapter on it, or a
 * FULL checkpoint of its own. Adapters share the base model's weights: {@link #activate()} puts
 * this contestant's adapter (or none) on the shared model before it plays, so contestants must
 * play one at a time, never side by side.
 *
 * @param label how results name it: {@code base}, {@code v<N>}, or {@code <run>/v<N>}
 * @param version its policy version (0 for the base model)
 * @param policy the model it plays with (the base model's, for adapters)
 * @param adapter its LORA adapter on {@code policy}'s model; null for the base model and FULL
 *     checkpoints
 */
public record Contestant(String label, long version, Policy policy, LinearAdapter adapter) {

    public Contestant {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(policy, "policy");
    }

    /** The base model itself, version 0. */
    public static Contestant base(Policy base) {
        return new Contestant("base", 0, base, null);
    }

    /** Makes the shared model this contestant's, and returns its policy. */
    public Policy activate() {
        policy.model().setAdapter(adapter);
        return policy;
    }
}
