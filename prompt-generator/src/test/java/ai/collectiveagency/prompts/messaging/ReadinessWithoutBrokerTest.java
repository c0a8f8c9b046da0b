package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service pointed at a port where no broker listens. */
@QuarkusTest
@TestProfile(ReadinessWithoutBrokerTest.NoBroker.class)
class ReadinessWithoutBrokerTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URI live;

    @Test
    void readinessIsDownAndLivenessUpWithoutABroker() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(ready).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(live).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"" + Channels.PROMPTS + "\": \"[KO]\"");
        assertThat(liveness.statusCode()).isEqualTo(200);
    }

    /** A free port's address as the broker, and a short producer close on stop. */
    public static class NoBroker implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + freePort(),
                    "mp.messaging.outgoing." + Channels.PROMPTS + ".close-timeout", "500");
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
    }
}
