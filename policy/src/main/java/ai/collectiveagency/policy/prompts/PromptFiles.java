package ai.collectiveagency.policy.prompts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prompt files users can edit without a rebuild: {@code <name>.txt} from a folder they give,
 * else the one shipped as a resource. Read byte for byte; what to strip is the caller's choice.
 */
public final class PromptFiles {

    private PromptFiles() {}

    /**
     * The text of {@code name}.txt from {@code folder} (may be null) if it is there, else of the
     * resource {@code resourceFolder + name + ".txt"} next to {@code owner}.
     *
     * @param resourceFolder an absolute resource path ending in "/", e.g. {@code "/prompts/"}
     */
    public static String read(Class<?> owner, Path folder, String resourceFolder, String name) {
        String file = name + ".txt";
        try {
            if (folder != null && Files.exists(folder.resolve(file))) {
                return Files.readString(folder.resolve(file));
            }
            try (InputStream in = owner.getResourceAsStream(resourceFolder + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resourceFolder + file);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
