package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service with {@code prompts.audit.enabled=false}: it produces, but runs no audit channel. */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(AuditDisabledTest.AuditOff.class)
class AuditDisabledTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @Test
    void startsWithoutTheAuditChannel() throws Exception {
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.body()).contains("\"" + Channels.PROMPTS + "\"")
                .doesNotContain(Channels.PROMPTS_AUDIT);
    }

    /** The audit switched off. */
    public static class AuditOff implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prompts.audit.enabled", "false");
        }
    }
}
