package ai.collectiveagency.policy.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where a checkpoint may be written: a new or empty folder, so its manifest lists only it. */
final class CheckpointFolders {

    private CheckpointFolders() {}

    /** Creates {@code folder}, or checks that it exists and is empty. */
    static void prepareEmpty(Path folder) {
        try {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException(folder + ": exists and is not a folder");
                }
                try (Stream<Path> entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(folder + ": not empty; a checkpoint"
                                + " is written into a new or empty folder");
                    }
                }
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }
}
