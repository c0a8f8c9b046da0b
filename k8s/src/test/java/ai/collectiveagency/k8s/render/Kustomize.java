package ai.collectiveagency.k8s.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize DIR}, the way a user renders an overlay. kubectl is installed by the
 * checkout's {@code scripts/install-kubectl.sh} when it is not on PATH.
 */
public final class Kustomize {

    private static boolean installed;

    private Kustomize() {
    }

    /** The checkout's root: the k8s module's parent (surefire runs in the module's folder). */
    public static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("base")) ? here.getParent() : here;
    }

    /** The YAML stream {@code kubectl kustomize} renders from {@code folder}. */
    public static String render(Path folder) throws IOException, InterruptedException {
        ensureKubectl();
        Path stderr = Files.createTempFile("kustomize", ".err");
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", folder.toString())
                    .redirectError(stderr.toFile()).start();
            String yaml = new String(kubectl.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            if (!kubectl.waitFor(2, TimeUnit.MINUTES)) {
                kubectl.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + folder + " hung");
            }
            if (kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + folder + " failed: "
                        + Files.readString(stderr));
            }
            return yaml;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static synchronized void ensureKubectl() throws IOException, InterruptedException {
        if (installed || onPath()) {
            installed = true;
            return;
        }
        Path script = projectRoot().resolve("scripts/install-kubectl.sh");
        Process install = new ProcessBuilder(script.toString()).inheritIO().start();
        if (install.waitFor() != 0 || !onPath()) {
            throw new IllegalStateException(script + " failed (exit " + install.exitValue()
                    + "): see its output above");
        }
        installed = true;
    }

    private static boolean onPath() throws InterruptedException {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException notFound) {
            return false;
        }
    }
}
