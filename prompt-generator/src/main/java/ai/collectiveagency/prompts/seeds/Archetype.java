package ai.collectiveagency.prompts.seeds;

import java.util.List;
import java.util.Objects;

/**
 * A stakeholder type a persona is made from.
 *
 * @param role the role in the scenario, e.g. {@code tenant organiser}
 * @param values values people in this role typically hold, most important first (non-empty)
 * @param goals what they typically want out of a negotiation (non-empty)
 */
public record Archetype(String role, List<String> values, List<String> goals) {

    public Archetype {
        Objects.requireNonNull(role, "role");
        values = List.copyOf(values);
        goals = List.copyOf(goals);
        if (role.isBlank() || values.isEmpty() || goals.isEmpty()) {
            throw new IllegalArgumentException("an archetype needs a role, values and goals");
        }
    }
}
