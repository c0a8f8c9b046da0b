package ai.collectiveagency.prompts.audit;

import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import java.util.HashSet;
import java.util.Optional;

/**
 * Checks the invariants a {@link PromptTask} must hold to be worth training on, beyond what its
 * schema enforces: two personas with opposed values, so there is a conflict to negotiate.
 *
 * <pre>{@code
 * TaskAudit.problem(task).ifPresent(reason -> ...); // empty: the task is sound
 * }</pre>
 */
public final class TaskAudit {

    private TaskAudit() {
    }

    /** Why the task is unsound, or empty when it holds every invariant. */
    public static Optional<String> problem(PromptTask task) {
        Persona a = task.getPersonaA();
        Persona b = task.getPersonaB();
        if (a.getValues().isEmpty() || b.getValues().isEmpty()) {
            return Optional.of("task " + task.getTaskId() + ": a persona holds no values");
        }
        if (new HashSet<>(a.getValues()).equals(new HashSet<>(b.getValues()))) {
            return Optional.of("task " + task.getTaskId() + ": persona_a and persona_b hold the "
                    + "same values " + a.getValues() + ", so there is no conflict");
        }
        return Optional.empty();
    }
}
