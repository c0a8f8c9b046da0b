package ai.collectiveagency.selfplay;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The prompts of the {@link LlmAgreementCheck}, kept in text files like {@link PromptTemplates}:
 * {@code prompts/llm-agreement-system.txt} and {@code prompts/llm-agreement.txt}, each replaced
 * by a file of the same name in the {@code rollout.prompts} folder.
 *
 * @param system {@code llm-agreement-system}: the judge's job and the answer's JSON Schema
 *     ({@code {schema}})
 * @param question {@code llm-agreement}: the scenario and the latest turns as quoted JSON data
 *     ({@code {scenario_json}}, {@code {dialogue_json}}, and the common placeholders)
 */
public record JudgePrompts(PromptTemplate system, PromptTemplate question) {

    public JudgePrompts {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(question, "question");
    }

    /** The shipped prompts. */
    public static JudgePrompts defaults() {
        return load(null);
    }

    /** The prompts of {@code folder} (may be null), the shipped ones for files it lacks. */
    public static JudgePrompts load(Path folder) {
        return new JudgePrompts(PromptTemplates.read(folder, "llm-agreement-system"),
                PromptTemplates.read(folder, "llm-agreement"));
    }
}
