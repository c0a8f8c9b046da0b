package ai.collectiveagency.k8s.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Kustomize;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed k8s/base/kafka files are what ./pipeline k8s generate writes today. */
class GeneratedKafkaResourcesTest {

    @Test
    void committedTopicsAndUsersAreUpToDateWithTheCatalogue() throws IOException {
        Path folder = Kustomize.projectRoot().resolve("k8s/base/kafka");
        Map<String, String> generated = GeneratedKafkaResources.files(TopicCatalogue.defaults(),
                StrimziCluster.PIPELINE);

        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertThat(Files.readString(folder.resolve(file.getKey())))
                    .as("%s is out of date: run ./pipeline k8s generate and commit it",
                            folder.resolve(file.getKey()))
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void aPrefixChangesEveryNameAndNothingElse() {
        String defaults = GeneratedKafkaResources.files(TopicCatalogue.defaults(),
                StrimziCluster.PIPELINE).get(GeneratedKafkaResources.TOPICS_FILE);
        String teamA = GeneratedKafkaResources.files(TopicCatalogue.withPrefix("team-a."),
                StrimziCluster.PIPELINE).get(GeneratedKafkaResources.TOPICS_FILE);

        assertThat(teamA).doesNotContain("alignment.")
                .isEqualTo(defaults.replace("alignment.", "team-a."));
    }
}
