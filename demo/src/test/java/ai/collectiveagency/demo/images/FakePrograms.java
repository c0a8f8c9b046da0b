package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for docker and mvn: shell scripts in a folder of their own (the PATH of the command
 * under test) that append their command line to a shared log, one line each, and exit as told.
 */
final class FakePrograms {

    private final Path folder;
    private final Path log;

    FakePrograms(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.log = folder.resolve("calls.log");
    }

    /** The environment of a command that finds only these programs. */
    Map<String, String> environment() {
        return Map.of("PATH", folder.toString());
    }

    /** A docker whose {@code info} exits {@code infoExit} and {@code build} {@code buildExit}. */
    void docker(int infoExit, int buildExit) throws IOException {
        script("docker", """
                case "$1" in
                  info) exit %d ;;
                  build) exit %d ;;
                esac
                """.formatted(infoExit, buildExit));
    }

    /**
     * An mvn that leaves in rollout-service and trainer-service the PyTorch library its build
     * packages: the CUDA one with {@code -Pcuda}, else the CPU one (the rest of a package is
     * already in place).
     */
    void maven() throws IOException {
        script("mvn", """
                case " $* " in
                  *" -Pcuda "*) library='%s' ;;
                  *) library='%s' ;;
                esac
                for module in rollout-service trainer-service; do
                  /bin/rm -f "$module"/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-native-*
                  : > "$module/target/quarkus-app/lib/main/$library"
                done
                """.formatted(FakeCheckout.CUDA_LIBRARY, FakeCheckout.CPU_LIBRARY));
    }

    /** Every call so far: the program's name, then its arguments. */
    List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void script(String name, String body) throws IOException {
        Path script = folder.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"" + name + " $*\" >> '" + log
                + "'\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
