package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.prompts.PromptFiles;

import java.nio.file.Path;

/**
 * The texts of asynchronous reasoning, kept in files so users can edit them without a rebuild.
 * The defaults ship as {@code prompts/async-reasoning/<name>.txt}; {@link #load(Path)} reads a
 * folder of files with the same names, each one present replacing its default.
 *
 * <p>The thinker reads {@code [thinker prompt, the answer so far, thinker-split, thoughts]} and the
 * writer {@code [writer prompt, thoughts, writer-split, the answer]}, where a stream's prompt is
 * the conversation rendered by the model's chat template under its system text, followed by its
 * header. The system texts and the question lose trailing whitespace (editors end files with a
 * newline); the headers and separators are read byte for byte, since their blank lines are what
 * the model sees between two segments.
 *
 * @param thinkerSystem   {@code thinker-system}: the thinker's instructions
 * @param thinkerResponse {@code thinker-response}: the header before the answer in the thinker's
 *                        view
 * @param thinkerSplit    {@code thinker-split}: between the answer so far and the thoughts
 * @param writerSystem    {@code writer-system}: the writer's instructions
 * @param writerThoughts  {@code writer-thoughts}: the header before the thoughts in the writer's
 *                        view
 * @param writerSplit     {@code writer-split}: between the thoughts and the answer
 * @param question        {@code question}: asked in the thinker's view to decide whether the
 *                        writer may write; the next token is read as " yes" or " no"
 * @param heard           {@code heard}: wraps text that arrives while the streams run; holds
 *                        {@code {text}}
 */
public record AsyncReasoningPrompts(String thinkerSystem, String thinkerResponse,
        String thinkerSplit, String writerSystem, String writerThoughts, String writerSplit,
        String question, String heard) {

    private static final String RESOURCE_FOLDER = "/prompts/async-reasoning/";
    static final String TEXT = "{text}";

    public AsyncReasoningPrompts {
        if (!heard.contains(TEXT)) {
            throw new IllegalArgumentException("the async-reasoning prompt heard.txt must contain "
                    + TEXT + ", where the arriving text goes");
        }
        if (question.isBlank() || thinkerSplit.isEmpty() || writerSplit.isEmpty()) {
            throw new IllegalArgumentException("the async-reasoning prompts question.txt,"
                    + " thinker-split.txt and writer-split.txt must not be empty");
        }
    }

    /** The shipped prompts. */
    public static AsyncReasoningPrompts defaults() {
        return load(null);
    }

    /** The prompts of {@code folder} ({@code <name>.txt}), the shipped ones for files it lacks. */
    public static AsyncReasoningPrompts load(Path folder) {
        return new AsyncReasoningPrompts(
                read(folder, "thinker-system").stripTrailing(), read(folder, "thinker-response"),
                read(folder, "thinker-split"), read(folder, "writer-system").stripTrailing(),
                read(folder, "writer-thoughts"), read(folder, "writer-split"),
                read(folder, "question").stripTrailing(), read(folder, "heard"));
    }

    /** The {@code heard} text around {@code text}. */
    public String heard(String text) {
        return heard.replace(TEXT, text);
    }

    private static String read(Path folder, String name) {
        return PromptFiles.read(AsyncReasoningPrompts.class, folder, RESOURCE_FOLDER, name);
    }
}
