package ai.collectiveagency.demo.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Packages services for their images: {@code mvn -B -DskipTests [-Pcuda] -pl <modules> -am
 * package} in the checkout, which leaves each one's {@code target/quarkus-app}.
 */
final class MavenPackaging {

    private final Path root;
    private final SearchPath path;
    private final Processes processes;

    MavenPackaging(Path root, SearchPath path, Processes processes) {
        this.root = root;
        this.path = path;
        this.processes = processes;
    }

    /** Packages {@code modules} (and what they use) as {@code variant} needs them. */
    void packageServices(List<String> modules, Variant variant) throws ImagesException {
        Path mvn = path.find("mvn").orElseThrow(() -> new ImagesException(
                "mvn is not on the PATH: install Maven 3.8 or later, or package the services"
                        + " yourself (mvn -B -DskipTests package) and pass --no-package"));
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-DskipTests"));
        command.addAll(variant.mavenArguments());
        command.addAll(List.of("-pl", String.join(",", modules), "-am", "package"));
        int exit = processes.run(root, command);
        if (exit != 0) {
            throw new ImagesException("mvn package failed with exit code " + exit
                    + " (its output is above); no image of " + String.join(", ", modules)
                    + " was built from it");
        }
    }
}
