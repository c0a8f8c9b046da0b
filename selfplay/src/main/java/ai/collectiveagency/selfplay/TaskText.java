package ai.collectiveagency.selfplay;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The placeholder values a task offers to the prompt templates.
 *
 * <ul>
 *   <li>{@code scenario_title}, {@code scenario_description}</li>
 *   <li>{@code name_a}, {@code name_b}, {@code persona_a}, {@code persona_b}: a persona as
 *       "Name (role), who values x, y"</li>
 *   <li>for one side's own prompt: {@code name}, {@code role}, {@code values}, {@code goals},
 *       {@code constraints}, {@code other_name}, {@code other_role}</li>
 *   <li>{@code transcript}: turns as "Name: text" lines</li>
 * </ul>
 */
final class TaskText {

    private TaskText() {}

    /** Values that describe the scenario and both personas. */
    static Map<String, String> of(PromptTask task) {
        Map<String, String> values = new HashMap<>();
        values.put("scenario_title", task.getScenario().getTitle());
        values.put("scenario_description", task.getScenario().getDescription());
        values.put("name_a", task.getPersonaA().getName());
        values.put("name_b", task.getPersonaB().getName());
        values.put("persona_a", describe(task.getPersonaA()));
        values.put("persona_b", describe(task.getPersonaB()));
        return values;
    }

    /** {@link #of(PromptTask)} plus the fields of {@code side}'s persona and its counterpart. */
    static Map<String, String> of(PromptTask task, Speaker side) {
        Map<String, String> values = of(task);
        Persona self = side.persona(task);
        Persona other = side.other().persona(task);
        values.put("name", self.getName());
        values.put("role", self.getRole());
        values.put("values", list(self.getValues()));
        values.put("goals", list(self.getGoals()));
        values.put("constraints", list(self.getConstraints()));
        values.put("other_name", other.getName());
        values.put("other_role", other.getRole());
        return values;
    }

    /** {@link #of(PromptTask)} plus the transcript of {@code turns}. */
    static Map<String, String> of(PromptTask task, List<DialogueTurn> turns) {
        Map<String, String> values = of(task);
        values.put("transcript", turns.stream()
                .map(t -> t.speaker().persona(task).getName() + ": " + t.text())
                .collect(Collectors.joining("\n")));
        return values;
    }

    private static String describe(Persona persona) {
        return persona.getName() + " (" + persona.getRole() + "), who values "
                + list(persona.getValues());
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none stated" : String.join(", ", items);
    }
}
