package ai.collectiveagency.trainer.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Forces what was written to disk, so that a power cut or a kernel crash after a rename cannot
 * leave a published name over data that never reached the disk: a file's contents
 * ({@link FileChannel#force}), and a directory's entries (the directory opened for reading and
 * forced, which Linux and macOS allow; where the OS refuses to open or force a directory, e.g.
 * Windows, the {@link IOException} is ignored, as its file system orders metadata itself).
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Forces {@code file}'s contents and metadata to disk. */
    public static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Forces {@code directory}'s entries (names created, renamed or removed in it) to disk. */
    public static void directory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the OS cannot open or force a directory: nothing more can be done from Java
        }
    }

    /** Forces every file under {@code root}, then every directory, deepest first, root last. */
    public static void tree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                file(p);
            }
        }
        for (Path p : all) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                directory(p);
            }
        }
    }
}
