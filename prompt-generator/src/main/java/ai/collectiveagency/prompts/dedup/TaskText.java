package ai.collectiveagency.prompts.dedup;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;

/** The text of a task that near-duplicate removal compares: the scenario and both personas. */
public final class TaskText {

    private TaskText() {
    }

    public static String of(PromptTask task) {
        StringBuilder out = new StringBuilder()
                .append(task.getScenario().getTitle()).append('\n')
                .append(task.getScenario().getDescription()).append('\n');
        append(out, task.getPersonaA());
        append(out, task.getPersonaB());
        return out.toString();
    }

    private static void append(StringBuilder out, Persona p) {
        out.append(p.getName()).append(", ").append(p.getRole()).append(". Values: ")
                .append(String.join(", ", p.getValues())).append(". Goals: ")
                .append(String.join(", ", p.getGoals())).append(". Constraints: ")
                .append(String.join(", ", p.getConstraints())).append(".\n");
    }
}
