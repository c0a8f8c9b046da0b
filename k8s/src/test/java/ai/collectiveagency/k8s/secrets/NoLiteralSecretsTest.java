package ai.collectiveagency.k8s.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code production} carries no secret value: no Secret objects (they are created out of band,
 * or by Strimzi's user operator), and no literal credential in an environment variable or a
 * ConfigMap; every secret is referenced.
 */
class NoLiteralSecretsTest {

    /**
     * Names of settings whose values are credentials: a word of the name (between '_', '.' or
     * '-') such as PASSWORD or TOKEN ({@code MAX_TOKENS} is not one), or API_KEY, PRIVATE_KEY.
     */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*((^|[_.-])(password|passwd|jaas|token|secret|credentials?)([_.-]|$)"
                    + "|api[_.-]?keys?|private[_.-]?key|user[_.-]?info).*");

    private final Manifest production = Manifest.overlay("production");

    @Test
    void noSecretObjectIsRendered() {
        assertThat(production.all(Secret.class)).as("Secrets in production").isEmpty();
    }

    @Test
    void noCredentialIsALiteralInAnyEnvironment() {
        for (String service : Workload.SERVICES) {
            for (Container container : Workload.of(production, service).allContainers()) {
                for (EnvVar variable : Optional.ofNullable(container.getEnv())
                        .orElse(List.of())) {
                    if (SECRET_NAME.matcher(variable.getName()).matches()
                            && !isPath(variable.getValue())) {
                        assertThat(variable.getValue()).as(service + " " + variable.getName()
                                + " must come from a secretKeyRef").isNull();
                    }
                }
            }
        }
    }

    @Test
    void noConfigMapCarriesACredential() {
        for (ConfigMap map : production.all(ConfigMap.class)) {
            for (Map.Entry<String, String> entry : Optional.ofNullable(map.getData())
                    .orElse(Map.of()).entrySet()) {
                if (SECRET_NAME.matcher(entry.getKey()).matches()) {
                    assertThat(isPath(entry.getValue())).as(map.getMetadata().getName() + " "
                            + entry.getKey() + " is a credential in a ConfigMap").isTrue();
                }
            }
        }
    }

    /** A file path (where a mounted secret is read from) is not itself a secret. */
    private static boolean isPath(String value) {
        return value != null && value.startsWith("/");
    }
}
