package ai.collectiveagency.k8s.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl kustomize} renders the base and every overlay, and every object parses strictly
 * ({@link Manifest}); an overlay puts everything in one namespace.
 */
class OverlaysRenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyOverlayRendersIntoOneNamespace(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);

        assertThat(manifest.objects()).as(overlay).isNotEmpty();
        assertThat(manifest.all(HasMetadata.class)).as(overlay + " namespaces")
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
                        .as(o.getKind() + " " + o.getMetadata().getName())
                        .isEqualTo("alignment"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base"})
    void theBaseRenders(String name) {
        assertThat(Manifest.base().objects()).as(name).isNotEmpty();
    }
}
