package ai.collectiveagency.demo.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline images} against real child processes: stand-in docker and mvn scripts on the
 * command's PATH record what it asks of them, over a checkout holding the real Dockerfiles.
 */
class ImagesCommandTest {

    private static final List<String> SERVICES = List.of("evaluation-service",
            "prompt-generator", "reward-service", "rollout-service", "trainer-service");
    private static final List<String> CUDA_SERVICES = List.of("rollout-service",
            "trainer-service");

    @TempDir
    Path temp;

    private Path root;
    private FakePrograms programs;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void checkout() throws Exception {
        root = FakeCheckout.create(Files.createDirectories(temp.resolve("checkout")));
        programs = new FakePrograms(temp.resolve("bin"));
    }

    @Test
    void withoutDockerOrPodmanSaysSoAndWhatToDo() throws Exception {
        int exit = run(programs.environment(), "--no-package");

        assertThat(exit).isEqualTo(ImagesCommand.FAILED);
        assertThat(err()).isEqualTo("error: neither docker nor podman is usable here (docker is"
                + " not on the PATH; podman is not on the PATH): start the Docker daemon or"
                + " install Podman, then run ./pipeline images again\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void aDockerWithoutItsDaemonIsNotUsable() throws Exception {
        programs.docker(1, 0);

        int exit = run(programs.environment());

        assertThat(exit).isEqualTo(ImagesCommand.FAILED);
        assertThat(err()).contains("neither docker nor podman is usable here (docker is on the"
                + " PATH but `docker info` fails; podman is not on the PATH)");
        assertThat(programs.calls()).containsExactly("docker info");
    }

    @Test
    void buildsEveryServiceAndTheModelsImageTaggedWithTheProjectVersion() throws Exception {
        programs.docker(0, 0);

        int exit = run(programs.environment(), "--no-package");

        assertThat(exit).as(err()).isZero();
        String version = parentPomVersion();
        List<String> expected = new ArrayList<>(List.of("docker info"));
        SERVICES.forEach(service -> expected.add(build(service, "Dockerfile.jvm", version)));
        expected.add(buildModels(version));
        assertThat(programs.calls()).containsExactlyElementsOf(expected);
        assertThat(out()).isEqualTo("collective-agency/evaluation-service:" + version + "\n"
                + "collective-agency/prompt-generator:" + version + "\n"
                + "collective-agency/reward-service:" + version + "\n"
                + "collective-agency/rollout-service:" + version + "\n"
                + "collective-agency/trainer-service:" + version + "\n"
                + "collective-agency/models:" + version + "\n");
    }

    @Test
    void withCudaPackagesAndBuildsTheCudaImagesFirstThenTheCpuOnes() throws Exception {
        programs.docker(0, 0);
        programs.maven();

        int exit = run(programs.environment(), "--cuda", "--tag", "2026.12");

        assertThat(exit).as(err()).isZero();
        List<String> expected = new ArrayList<>(List.of("docker info",
                "mvn -B -DskipTests -Pcuda -pl rollout-service,trainer-service -am package"));
        CUDA_SERVICES.forEach(service -> expected.add(
                build(service, "Dockerfile.cuda", "2026.12-cuda")));
        expected.add("mvn -B -DskipTests -pl " + String.join(",", SERVICES) + " -am package");
        SERVICES.forEach(service -> expected.add(build(service, "Dockerfile.jvm", "2026.12")));
        expected.add(buildModels("2026.12"));
        assertThat(programs.calls()).containsExactlyElementsOf(expected);
        assertThat(out().lines()).contains("collective-agency/rollout-service:2026.12-cuda",
                "collective-agency/trainer-service:2026.12-cuda",
                "collective-agency/rollout-service:2026.12", "collective-agency/models:2026.12");
        // The checkout is left with the CPU build, the one ./pipeline's commands run.
        assertThat(root.resolve("rollout-service/target/quarkus-app/lib/main")
                .resolve(FakeCheckout.CPU_LIBRARY)).exists();
    }

    @Test
    void pushesEveryImageUnderTheRegistry() throws Exception {
        programs.docker(0, 0);

        int exit = run(programs.environment(), "--no-package", "--tag", "t1",
                "--push", "registry.example:5000/team");

        assertThat(exit).as(err()).isZero();
        List<String> calls = programs.calls();
        for (String name : List.of("evaluation-service", "prompt-generator", "reward-service",
                "rollout-service", "trainer-service", "models")) {
            String image = "collective-agency/" + name + ":t1";
            String pushed = "registry.example:5000/team/" + image;
            assertThat(calls).containsSubsequence("docker tag " + image + " " + pushed,
                    "docker push " + pushed);
            assertThat(out().lines()).containsSubsequence(image, pushed);
        }
    }

    @Test
    void refusesAnImageOfTheOtherBuild() throws Exception {
        programs.docker(0, 0);
        FakeCheckout.packagedWith(root, "trainer-service", FakeCheckout.CUDA_LIBRARY);

        int exit = run(programs.environment(), "--no-package");

        assertThat(exit).isEqualTo(ImagesCommand.FAILED);
        assertThat(err()).contains("error: trainer-service/target/quarkus-app holds the CUDA"
                + " build of PyTorch (-Pcuda): package it without -Pcuda");
        assertThat(programs.calls()).containsExactly("docker info");
    }

    @Test
    void aFailedBuildStopsNamingTheImage() throws Exception {
        programs.docker(0, 3);

        int exit = run(programs.environment(), "--no-package");

        assertThat(exit).isEqualTo(ImagesCommand.FAILED);
        assertThat(err()).contains("error: building collective-agency/evaluation-service:"
                + parentPomVersion() + " failed: docker exited with 3");
        assertThat(programs.calls()).hasSize(2);
        assertThat(out()).isEmpty();
    }

    @Test
    void cudaImagesNeedTheirPackaging() throws Exception {
        programs.docker(0, 0);

        assertThat(run(programs.environment(), "--cuda", "--no-package")).isEqualTo(2);
        assertThat(programs.calls()).isEmpty();
    }

    private String build(String service, String dockerfile, String tag) {
        Path module = root.resolve(service);
        return "docker build -f " + module.resolve("src/main/docker").resolve(dockerfile)
                + " -t collective-agency/" + service + ":" + tag + " " + module;
    }

    private String buildModels(String tag) {
        Path models = root.resolve("models");
        return "docker build -f " + models.resolve("Dockerfile") + " -t collective-agency/models:"
                + tag + " " + models;
    }

    /** The version in the real parent pom, which the images' default tag must be. */
    private static String parentPomVersion() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(FakeCheckout.ROOT.resolve("pom.xml").toFile());
        return XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
    }

    private int run(Map<String, String> environment, String... args) {
        ImagesCommand command = new ImagesCommand(root,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment);
        return new CommandLine(command).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the command said on standard error, without the programs' echoed command lines. */
    private String err() {
        return err.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("$ "))
                .map(line -> line + "\n")
                .reduce("", String::concat);
    }
}
