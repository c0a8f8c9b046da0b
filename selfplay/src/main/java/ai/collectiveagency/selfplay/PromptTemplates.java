package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.prompts.PromptFiles;

import java.nio.file.Path;

/**
 * Every prompt the rollout uses, kept in text files so users can edit them without a rebuild.
 *
 * <p>The defaults ship as {@code prompts/<name>.txt} resources; {@link #load(Path)} reads a folder
 * of files with the same names, each one present replacing its default. Placeholders are listed
 * in the module's README.
 *
 * @param personaSystem {@code persona-system}: a persona's system prompt (persona, scenario, rules)
 * @param opening {@code opening}: the user line that opens the dialogue for persona A
 * @param continued {@code continued}: the user line that stands for turns cut from a side's view
 * @param agreementSystem {@code agreement-system}: the agreement judge's system prompt
 * @param agreement {@code agreement}: the question put to the judge, with the latest turns
 * @param resolution {@code resolution}: asks persona A for the final resolution
 * @param answerSystem {@code answer-system}: the system prompt of single-agent mode
 * @param answer {@code answer}: the dilemma put to the single agent
 * @param thoughts {@code thoughts}: asks the listening persona to think while the other speaks
 *     (asynchronous reasoning); the last user line of its thinker's view
 * @param recalledThoughts {@code recalled-thoughts}: what follows the opened assistant turn of a
 *     persona that has thought, {@code {thoughts}} standing for the thoughts' token ids; read
 *     byte for byte (its line breaks are what the model sees around the thoughts)
 */
public record PromptTemplates(PromptTemplate personaSystem, PromptTemplate opening,
        PromptTemplate continued, PromptTemplate agreementSystem, PromptTemplate agreement,
        PromptTemplate resolution, PromptTemplate answerSystem, PromptTemplate answer,
        PromptTemplate thoughts, PromptTemplate recalledThoughts) {

    private static final String RESOURCE_FOLDER = "/prompts/";
    /** Where the thoughts go in {@code recalled-thoughts}. */
    public static final String THOUGHTS = "{thoughts}";

    public PromptTemplates {
        String recalled = recalledThoughts.text();
        if (recalled.indexOf(THOUGHTS) < 0
                || recalled.indexOf(THOUGHTS) != recalled.lastIndexOf(THOUGHTS)) {
            throw new IllegalArgumentException("prompt 'recalled-thoughts' must hold " + THOUGHTS
                    + " exactly once, where the persona's thoughts go; it holds: " + recalled);
        }
    }

    /** The shipped prompts. */
    public static PromptTemplates defaults() {
        return load(null);
    }

    /** The prompts of {@code folder} ({@code <name>.txt}), the shipped ones for files it lacks. */
    public static PromptTemplates load(Path folder) {
        return new PromptTemplates(read(folder, "persona-system"), read(folder, "opening"),
                read(folder, "continued"), read(folder, "agreement-system"),
                read(folder, "agreement"), read(folder, "resolution"),
                read(folder, "answer-system"), read(folder, "answer"),
                read(folder, "thoughts"), readExactly(folder, "recalled-thoughts"));
    }

    /** The prompt {@code name} from {@code folder} (may be null), else the shipped one. */
    static PromptTemplate read(Path folder, String name) {
        PromptTemplate exact = readExactly(folder, name);
        return new PromptTemplate(name, strip(exact.text()));
    }

    /** As {@link #read}, its text byte for byte, trailing line breaks kept. */
    static PromptTemplate readExactly(Path folder, String name) {
        return new PromptTemplate(name,
                PromptFiles.read(PromptTemplates.class, folder, RESOURCE_FOLDER, name));
    }

    /** Editors end files with a newline; the prompt should not. */
    private static String strip(String text) {
        return text.stripTrailing();
    }
}
