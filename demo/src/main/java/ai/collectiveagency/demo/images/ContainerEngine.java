package ai.collectiveagency.demo.images;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * docker or podman, whichever of the two (in that order) is on the {@code PATH} and answers
 * {@code info}: a docker CLI without a running daemon is not usable. Both take the same build,
 * tag and push command lines.
 */
record ContainerEngine(String name, Path executable) {

    private static final List<String> CANDIDATES = List.of("docker", "podman");

    /** {@code info} asks the daemon (or podman's service); a first podman call can be slow. */
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(60);

    /** The first usable engine, or why there is none and what to do about it. */
    static ContainerEngine find(SearchPath path, Processes processes) throws ImagesException {
        List<String> findings = new ArrayList<>();
        for (String candidate : CANDIDATES) {
            Optional<Path> executable = path.find(candidate);
            if (executable.isEmpty()) {
                findings.add(candidate + " is not on the PATH");
            } else if (processes.succeeds(List.of(executable.get().toString(), "info"),
                    INFO_TIMEOUT)) {
                return new ContainerEngine(candidate, executable.get());
            } else {
                findings.add(candidate + " is on the PATH but `" + candidate + " info` fails");
            }
        }
        throw new ImagesException("neither docker nor podman is usable here ("
                + String.join("; ", findings) + "): start the Docker daemon or install Podman,"
                + " then run ./pipeline images again");
    }

    /** {@code build -f <dockerfile> -t <reference> <context>}. */
    List<String> build(ContainerImage image) {
        return List.of(executable.toString(), "build", "-f", image.dockerfile().toString(),
                "-t", image.reference(), image.context().toString());
    }

    /** {@code tag <source> <target>}. */
    List<String> tag(String source, String target) {
        return List.of(executable.toString(), "tag", source, target);
    }

    /** {@code push <reference>}. */
    List<String> push(String reference) {
        return List.of(executable.toString(), "push", reference);
    }
}
