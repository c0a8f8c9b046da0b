package ai.collectiveagency.rollout.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which engines a list of URLs stands for: one per address of a plain http host name (a headless
 * Service), resolved again after the interval; one for an https URL; the last addresses kept when
 * the name cannot be resolved.
 */
class EngineFleetTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void anHttpHostWithSeveralAddressesIsOneEnginePerAddress() {
        ScriptedResolver resolver = new ScriptedResolver();
        resolver.answer(List.of("10.0.0.1", "10.0.0.2", "fd00::3"));
        EngineFleet fleet = new EngineFleet(List.of(URI.create("http://vllm:8000/base")), INTERVAL,
                new StepClock(), resolver);

        assertThat(fleet.engines()).extracting(engine -> engine.baseUri().toString())
                .containsExactly("http://10.0.0.1:8000/base", "http://10.0.0.2:8000/base",
                        "http://[fd00::3]:8000/base");
        assertThat(resolver.hosts).containsExactly("vllm");
        assertThat(fleet.engines().get(2).resolve("v1/completions"))
                .isEqualTo(URI.create("http://[fd00::3]:8000/base/v1/completions"));
    }

    @Test
    void anHttpsUrlStaysOneEngineUnderItsHostName() {
        ScriptedResolver resolver = new ScriptedResolver();
        resolver.answer(List.of("10.0.0.1", "10.0.0.2"));
        EngineFleet fleet = new EngineFleet(List.of(URI.create("https://vllm.example.org")),
                INTERVAL, new StepClock(), resolver);

        assertThat(fleet.engines()).extracting(engine -> engine.baseUri().toString())
                .containsExactly("https://vllm.example.org");
    }

    @Test
    void addressesAreResolvedAgainAfterTheIntervalAndKeptWhenResolutionFails() {
        ScriptedResolver resolver = new ScriptedResolver();
        StepClock clock = new StepClock();
        EngineFleet fleet = new EngineFleet(List.of(URI.create("http://vllm:8000")), INTERVAL,
                clock, resolver);
        resolver.answer(List.of("10.0.0.1", "10.0.0.2"));
        List<Engine> first = fleet.engines();
        first.get(0).loaded("policy-v1");

        resolver.answer(List.of("10.0.0.9"));
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(fleet.engines()).as("not yet resolved again").isEqualTo(first);

        resolver.fail();
        clock.advance(Duration.ofSeconds(1));
        assertThat(fleet.engines()).as("a failed resolution keeps the last addresses")
                .isEqualTo(first);

        resolver.answer(List.of("10.0.0.1", "10.0.0.3"));
        clock.advance(INTERVAL);
        List<Engine> next = fleet.engines();
        assertThat(next).extracting(engine -> engine.baseUri().toString())
                .containsExactly("http://10.0.0.1:8000", "http://10.0.0.3:8000");
        assertThat(next.get(0)).as("an engine that stays keeps what it holds")
                .isSameAs(first.get(0));
        assertThat(next.get(0).holds("policy-v1")).isTrue();
        assertThat(next.get(1).holds("policy-v1")).isFalse();
    }

    @Test
    void aHostThatWasNeverResolvedIsKeptAsItsUrl() {
        ScriptedResolver resolver = new ScriptedResolver();
        resolver.fail();
        EngineFleet fleet = new EngineFleet(List.of(URI.create("http://vllm:8000")), INTERVAL,
                new StepClock(), resolver);

        assertThat(fleet.engines()).extracting(engine -> engine.baseUri().toString())
                .containsExactly("http://vllm:8000");
    }

    @Test
    void theLeastBusyEngineIsAcquired() {
        EngineFleet fleet = new EngineFleet(List.of(URI.create("http://a:1"),
                URI.create("http://b:1")), INTERVAL, new StepClock(), host -> List.of());

        Engine first = fleet.acquire();
        Engine second = fleet.acquire();
        Engine third = fleet.acquire();
        second.finished();
        Engine fourth = fleet.acquire();

        assertThat(List.of(first, second)).extracting(Engine::toString)
                .containsExactlyInAnyOrder("http://a:1", "http://b:1");
        assertThat(List.of(first, second)).contains(third);
        assertThat(fourth).isSameAs(second);
    }

    /** Host name to scripted addresses, or a failure; records the names asked. */
    private static final class ScriptedResolver implements EngineFleet.Resolver {

        private final List<String> hosts = new ArrayList<>();
        private List<String> addresses = List.of();
        private boolean failing;

        void answer(List<String> next) {
            addresses = next;
            failing = false;
        }

        void fail() {
            failing = true;
        }

        @Override
        public List<String> addresses(String host) throws UnknownHostException {
            hosts.add(host);
            if (failing) {
                throw new UnknownHostException(host + ": Temporary failure in name resolution");
            }
            return addresses;
        }
    }

    /** A clock that moves only when told. */
    private static final class StepClock extends Clock {

        private final AtomicReference<Instant> now =
                new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration by) {
            now.updateAndGet(instant -> instant.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
