package ai.collectiveagency.scoring.sides;

import ai.collectiveagency.schemas.Persona;
import java.util.List;

/**
 * One persona's side of a task, as three short texts a resolution can be compared with: what the
 * persona values, what it wants and what binds it. Each names the persona's role, so a resolution
 * that says who gets what is closer than one that lists the same words for nobody.
 */
public record PersonaSide(String values, String goals, String constraints) {

    public static PersonaSide of(Persona persona) {
        String role = persona.getRole();
        return new PersonaSide(
                "The " + role + " values " + list(persona.getValues()) + ".",
                "The " + role + " wants to " + list(persona.getGoals()) + ".",
                "The " + role + " must respect this: " + list(persona.getConstraints()) + ".");
    }

    /** The three texts, in the order {@link SideWeights} weighs them. */
    public List<String> texts() {
        return List.of(values, goals, constraints);
    }

    private static String list(List<String> items) {
        if (items.isEmpty()) {
            return "nothing stated";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and "
                + items.get(items.size() - 1);
    }
}
