package ai.collectiveagency.demo.images;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.images.Dockerfile.Instruction;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every image definition of the checkout promises the clusters that run it: base images
 * pinned by tag, a numeric non-root user, nothing fetched from a URL, the ports the service's
 * application.properties open, DJL offline with its cache where the manifests mount a volume,
 * and a start without a shell (the service images have none).
 */
class DockerfileInvariantsTest {

    private static final Path ROOT = FakeCheckout.ROOT;

    /** Where the service images keep DJL's cache: the Kubernetes manifests mount an emptyDir. */
    private static final String DJL_CACHE_DIR = "/var/cache/djl";

    static List<Path> dockerfiles() throws IOException {
        List<Path> files = new ArrayList<>(serviceDockerfiles());
        files.add(ROOT.resolve("models/Dockerfile"));
        return files;
    }

    static List<Path> serviceDockerfiles() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<Path> files = new ArrayList<>();
            for (Path docker : modules.map(m -> m.resolve("src/main/docker"))
                    .filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> inside = Files.list(docker)) {
                    inside.filter(f -> f.getFileName().toString().startsWith("Dockerfile."))
                            .sorted().forEach(files::add);
                }
            }
            return files;
        }
    }

    @Test
    void everyServiceHasAJvmImageAndTheGpuServicesACudaOne() throws IOException {
        assertThat(serviceDockerfiles()).extracting(f -> ROOT.relativize(f).toString())
                .containsExactly(
                        "evaluation-service/src/main/docker/Dockerfile.jvm",
                        "prompt-generator/src/main/docker/Dockerfile.jvm",
                        "reward-service/src/main/docker/Dockerfile.jvm",
                        "rollout-service/src/main/docker/Dockerfile.cuda",
                        "rollout-service/src/main/docker/Dockerfile.jvm",
                        "trainer-service/src/main/docker/Dockerfile.cuda",
                        "trainer-service/src/main/docker/Dockerfile.jvm");
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void baseImagesArePinnedByTag(Path file) throws IOException {
        Dockerfile dockerfile = Dockerfile.read(file);
        Set<String> stages = new HashSet<>();
        List<String> images = new ArrayList<>();
        for (Instruction from : dockerfile.all("FROM")) {
            List<String> words = from.words().stream().filter(w -> !w.startsWith("--")).toList();
            if (!stages.contains(words.get(0).toLowerCase())) {
                images.add(words.get(0));
            }
            if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
                stages.add(words.get(2).toLowerCase());
            }
        }
        for (Instruction copy : dockerfile.all("COPY")) {
            copy.words().stream().filter(w -> w.startsWith("--from="))
                    .map(w -> w.substring("--from=".length()))
                    .filter(source -> !stages.contains(source.toLowerCase())
                            && !source.matches("\\d+"))
                    .forEach(images::add);
        }
        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(tag(image))
                .as("%s in %s", image, file).isNotEmpty().isNotEqualTo("latest"));
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void runsAsANumericUserOtherThanRoot(Path file) throws IOException {
        List<Instruction> users = Dockerfile.read(file).finalStage().stream()
                .filter(i -> i.keyword().equals("USER")).toList();
        assertThat(users).as(file.toString()).isNotEmpty();
        String user = users.get(users.size() - 1).arguments().trim();
        assertThat(user).as(file.toString()).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).as(file.toString()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void fetchesNothingFromAUrl(Path file) throws IOException {
        for (Instruction add : Dockerfile.read(file).all("ADD")) {
            assertThat(add.words()).as(file.toString())
                    .noneMatch(word -> word.matches("(?i)(https?|ftp|git)://.*|git@.*"));
        }
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void startsWithoutAShell(Path file) throws IOException {
        List<Instruction> starts = Dockerfile.read(file).finalStage().stream()
                .filter(i -> i.keyword().equals("ENTRYPOINT") || i.keyword().equals("CMD"))
                .toList();
        assertThat(starts).as(file.toString()).isNotEmpty()
                .allSatisfy(start -> assertThat(start.arguments().trim()).startsWith("["));
    }

    @ParameterizedTest
    @MethodSource("serviceDockerfiles")
    void exposesThePortsOfTheServicesConfiguration(Path file) throws IOException {
        Path module = file.getParent().getParent().getParent().getParent();
        Set<String> exposed = Dockerfile.read(file).finalStage().stream()
                .filter(i -> i.keyword().equals("EXPOSE"))
                .flatMap(i -> i.words().stream()).map(port -> port.replace("/tcp", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(exposed).as(file.toString()).isEqualTo(configuredPorts(module));
    }

    @ParameterizedTest
    @MethodSource("serviceDockerfiles")
    void keepsDjlOfflineWithItsCacheOnTheVolume(Path file) throws IOException {
        assertThat(Dockerfile.read(file).environment()).as(file.toString())
                .containsEntry("DJL_OFFLINE", "true")
                .containsEntry("OPT_OUT_TRACKING", "true")
                .containsEntry("DJL_CACHE_DIR", DJL_CACHE_DIR);
    }

    @Test
    void theModelsImageExposesNothingAndCopiesItsFoldersIntoTarget() throws IOException {
        Dockerfile models = Dockerfile.read(ROOT.resolve("models/Dockerfile"));
        assertThat(models.all("EXPOSE")).isEmpty();
        assertThat(models.all("CMD")).extracting(Instruction::arguments)
                .containsExactly("[\"cp\", \"-R\", \"/models/.\", \"/target/\"]");
        assertThat(models.all("COPY")).extracting(Instruction::arguments)
                .containsExactly(". /models/");
    }

    /** The management port, and the HTTP port unless the main HTTP server is off. */
    private static Set<String> configuredPorts(Path module) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                module.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        Set<String> ports = new TreeSet<>();
        if (Boolean.parseBoolean(properties.getProperty("quarkus.management.enabled"))) {
            ports.add(properties.getProperty("quarkus.management.port", "9000"));
        }
        if (!"false".equals(properties.getProperty("quarkus.http.host-enabled"))) {
            ports.add(properties.getProperty("quarkus.http.port", "8080"));
        }
        return ports;
    }

    /** The tag of {@code image} (name[:tag][@digest]), empty when it has none. */
    private static String tag(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String last = name.substring(name.lastIndexOf('/') + 1);
        return last.contains(":") ? last.substring(last.indexOf(':') + 1) : "";
    }
}
