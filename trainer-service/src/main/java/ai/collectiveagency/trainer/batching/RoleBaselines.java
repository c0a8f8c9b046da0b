package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.schemas.Segment;
import java.util.EnumMap;
import java.util.Map;

/**
 * A running baseline per persona role: an exponential moving average of the rewards of the
 * groups seen so far, one for A (its turns and the resolution it writes) and one for B. The
 * advantage of a turn is its trajectory's reward minus its role's baseline before this group.
 * State is part of the trainer's checkpoint, so a resumed run continues the same averages.
 */
public final class RoleBaselines {

    /** Weight of the past in the moving average. */
    public static final double DECAY = 0.9;

    private final Map<Role, Double> baselines = new EnumMap<>(Role.class);

    /** Persona A (its turns and thoughts, its resolution, a single answer) or B. */
    public enum Role { A, B }

    public static Role roleOf(Segment segment) {
        return segment == Segment.PERSONA_B || segment == Segment.THOUGHTS_B ? Role.B : Role.A;
    }

    /** The current baseline of {@code role}; 0 before any reward. */
    public double baseline(Role role) {
        return baselines.getOrDefault(role, 0.0);
    }

    /** Moves both roles' averages towards {@code meanReward} (a NaN mean changes nothing). */
    public void update(double meanReward) {
        if (Double.isNaN(meanReward)) {
            return;
        }
        for (Role role : Role.values()) {
            Double old = baselines.get(role);
            baselines.put(role, old == null ? meanReward : DECAY * old + (1 - DECAY) * meanReward);
        }
    }

    /** The state to save. */
    public Map<Role, Double> snapshot() {
        return Map.copyOf(baselines);
    }

    /** Restores saved state. */
    public void restore(Map<Role, Double> saved) {
        baselines.clear();
        baselines.putAll(saved);
    }
}
