package ai.collectiveagency.demo.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Short prompt templates and scenario templates for models with a small context (the shipped
 * tiny models), copied out of the jar into folders the services read
 * ({@code rollout.prompts}, {@code prompts.seeds}). The warm-up trains on the same files, so the
 * warmed-up model is fluent in exactly what the demo asks it.
 */
public final class SmallModelFiles {

    /** Models with at most this many positions get the short prompts and scenarios. */
    public static final int SMALL_CONTEXT = 512;

    private static final List<String> PROMPTS = List.of("agreement-system.txt", "agreement.txt",
            "answer-system.txt", "answer.txt", "continued.txt", "opening.txt",
            "persona-system.txt", "resolution.txt");

    private SmallModelFiles() {}

    /** The rollout-service's prompt templates, written into {@code target}. */
    public static Path prompts(Path target) {
        return extract("tiny-model/prompts", target, PROMPTS);
    }

    /** The prompt-generator's short scenario templates, written into {@code target}. */
    public static Path seeds(Path target) {
        return extract("tiny-model/seeds", target, List.of("scenario-templates.txt"));
    }

    private static Path extract(String resource, Path target, List<String> files) {
        try {
            Files.createDirectories(target);
            for (String file : files) {
                try (InputStream in = SmallModelFiles.class.getResourceAsStream("/" + resource
                        + "/" + file)) {
                    Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
