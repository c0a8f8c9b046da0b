package ai.collectiveagency.demo.images;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The folders of a {@code PATH}, searched for a program the way a shell does. */
record SearchPath(List<Path> folders) {

    /** The folders of {@code environment}'s {@code PATH}; empty entries are skipped. */
    static SearchPath of(Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", "");
        return new SearchPath(Arrays.stream(path.split(File.pathSeparator))
                .filter(folder -> !folder.isEmpty())
                .map(Path::of)
                .toList());
    }

    /** The first executable file named {@code program} in these folders. */
    Optional<Path> find(String program) {
        return folders.stream()
                .map(folder -> folder.resolve(program))
                .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
                .findFirst();
    }
}
