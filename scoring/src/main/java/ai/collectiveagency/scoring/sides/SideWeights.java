package ai.collectiveagency.scoring.sides;

/**
 * How the negotiation reward weighs its terms. A persona is served by a resolution as the weighted
 * closeness to its values, goals and constraints (weights summing to 1); the reward is the worse
 * served persona's figure plus {@code collectiveAgency} times the Collective-Agency anchor margin.
 *
 * @param values weight of the persona's values (the first is its side of the task's conflict)
 * @param goals weight of what the persona wants
 * @param constraints weight of what binds the persona (often not in the policy's prompt: kept
 *     small)
 * @param collectiveAgency weight of the task-independent Collective-Agency term: small, so that
 *     no generic sentence can make up for ignoring a side
 */
public record SideWeights(double values, double goals, double constraints,
        double collectiveAgency) {

    public SideWeights {
        for (double weight : new double[] {values, goals, constraints, collectiveAgency}) {
            if (!(weight >= 0)) {
                throw new IllegalArgumentException("weights must be >= 0, were " + values + ", "
                        + goals + ", " + constraints + ", " + collectiveAgency);
            }
        }
        if (Math.abs(values + goals + constraints - 1) > 1e-9) {
            throw new IllegalArgumentException("the side weights must sum to 1, were " + values
                    + " + " + goals + " + " + constraints);
        }
    }

    /** The shipped weights. */
    public static SideWeights defaults() {
        return new SideWeights(0.5, 0.3, 0.2, 0.25);
    }

    /** One side's figure from its three closenesses, in {@link PersonaSide#texts()} order. */
    double side(double toValues, double toGoals, double toConstraints) {
        return values * toValues + goals * toGoals + constraints * toConstraints;
    }
}
