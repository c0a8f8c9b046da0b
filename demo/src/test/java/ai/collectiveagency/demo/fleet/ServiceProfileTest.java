package ai.collectiveagency.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service started under a Quarkus profile, on a packaged app laid out as Quarkus's fast-jar
 * is ({@code quarkus-app/quarkus-run.jar}, its {@code application.properties} in
 * {@code quarkus-app/app/<module>.jar}).
 */
class ServiceProfileTest {

    @TempDir
    Path root;

    @Test
    void theProfilesKeysReplaceTheDemosOwnSettingsAndTheRestStay() throws IOException {
        packaged("trainer-service", """
                trainer.beta=0.0
                trainer.groups-per-step=4
                %single-agent.trainer.beta=0.04
                %other,single-agent.trainer.groups-per-step=8
                %test.trainer.learning-rate=1e-3
                """);
        ServiceSpec demo = ServiceSpec.packaged(root, "trainer-service", 1, "1g", Map.of(
                "trainer.beta", "0.05", "trainer.groups-per-step", "2",
                "trainer.learning-rate", "5e-4"));

        ServiceSpec single = demo.withProfile("single-agent");

        assertThat(single.settings()).containsOnly(Map.entry("quarkus.profile", "single-agent"),
                Map.entry("trainer.learning-rate", "5e-4"));
        assertThat(single.asReplica(0, "trainer.replica-id").settings())
                .containsEntry("quarkus.profile", "single-agent");
    }

    @Test
    void aProfileTheAppDoesNotHaveChangesNothingButTheProfile() throws IOException {
        packaged("reward-service", "reward.scorers.embedding=1\n%test.reward.x=1\n");
        ServiceSpec demo = ServiceSpec.packaged(root, "reward-service", 1, "1g",
                Map.of("reward.scorers.embedding", "1"));

        assertThat(demo.withProfile("single-agent").settings()).containsOnly(
                Map.entry("reward.scorers.embedding", "1"),
                Map.entry("quarkus.profile", "single-agent"));
    }

    /** {@code <root>/<module>/target/quarkus-app} with {@code properties} in its app jar. */
    private void packaged(String module, String properties) throws IOException {
        Path app = ServiceSpec.packagedApp(root, module);
        Files.createDirectories(app.resolveSibling("app"));
        Files.write(app, new byte[0]);
        try (OutputStream file = Files.newOutputStream(
                app.resolveSibling("app").resolve(module + ".jar"));
                ZipOutputStream jar = new ZipOutputStream(file)) {
            jar.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            jar.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new ZipEntry("application.properties"));
            jar.write(properties.getBytes(StandardCharsets.UTF_8));
        }
    }
}
