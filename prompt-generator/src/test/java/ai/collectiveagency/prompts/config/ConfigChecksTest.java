package ai.collectiveagency.prompts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.llm.JsonMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigChecksTest {

    @Test
    void defaultsPass() {
        assertThat(ConfigChecks.problems(new Settings())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "negotiationShare; 1.5; prompts.negotiation-share must lie in [0, 1], was 1.5",
        "heldOutShare; -0.1; prompts.held-out-share must lie in [0, 1], was -0.1",
        "dedupThreshold; 0; prompts.dedup-threshold must lie in (0, 1], was 0.0",
        "rate; 0; prompts.rate must lie in (0, 1000000] tasks per second, was 0.0",
        "rate; NaN; prompts.rate must lie in (0, 1000000] tasks per second, was NaN",
        "maxTasks; -1; prompts.max-tasks must be >= 0 (0: no end), was -1",
        "maxLag; -1; prompts.pacing.max-lag must be >= 0 (0: not paced by the rollout fleet), "
                + "was -1",
        "group; ' '; prompts.pacing.group must name a consumer group when pacing is on",
        "trainerMaxLag; -1; prompts.pacing.trainer-max-lag must be >= 0 (0: not paced by the "
                + "trainer), was -1",
        "trainerGroup; ''; prompts.pacing.trainer-group must name a consumer group when "
                + "prompts.pacing.trainer-max-lag is above 0",
        "checkInterval; PT0S; prompts.pacing.check-interval must lie in [10ms, 1m], was PT0S",
        "checkInterval; PT2M; prompts.pacing.check-interval must lie in [10ms, 1m], was PT2M",
    })
    void badValueIsNamedByItsKey(String field, String value, String problem) {
        Settings settings = new Settings();
        switch (field) {
            case "negotiationShare" -> settings.negotiationShare = Double.parseDouble(value);
            case "heldOutShare" -> settings.heldOutShare = Double.parseDouble(value);
            case "dedupThreshold" -> settings.dedupThreshold = Double.parseDouble(value);
            case "rate" -> settings.rate = Double.parseDouble(value);
            case "maxTasks" -> settings.maxTasks = Long.parseLong(value);
            case "maxLag" -> settings.maxLag = Long.parseLong(value);
            case "group" -> settings.group = value;
            case "trainerMaxLag" -> settings.trainerMaxLag = Long.parseLong(value);
            case "trainerGroup" -> settings.trainerGroup = value;
            case "checkInterval" -> settings.checkInterval = Duration.parse(value);
            default -> throw new IllegalArgumentException(field);
        }

        assertThat(ConfigChecks.problems(settings)).containsExactly(problem);
        assertThatThrownBy(() -> ConfigChecks.requireValid(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void seedsMustBeAFolder() {
        Settings settings = new Settings();
        settings.seeds = Optional.of(Path.of("no/such/folder"));

        assertThat(ConfigChecks.problems(settings))
                .containsExactly("prompts.seeds must name a folder, was no/such/folder");
    }

    @Test
    void anLlmShareNeedsAnEndpointAndAModel() {
        Settings settings = new Settings();
        settings.llmShare = 0.5;

        assertThat(ConfigChecks.problems(settings)).containsExactly(
                "prompts.llm.base-url must name an OpenAI-compatible endpoint "
                        + "(e.g. http://localhost:8000/v1) when prompts.llm.share is above 0",
                "prompts.llm.model must name the model when prompts.llm.share is above 0");
    }

    @Test
    void anLlmEndpointMustBeHttpAndItsTimeoutPositive() {
        Settings settings = new Settings();
        settings.llmShare = 1;
        settings.llmBaseUrl = Optional.of(URI.create("ftp://example.org/v1"));
        settings.llmModel = Optional.of("writer");
        settings.llmTimeout = Duration.ZERO;

        assertThat(ConfigChecks.problems(settings)).containsExactly(
                "prompts.llm.base-url must be an http or https URL, was ftp://example.org/v1",
                "prompts.llm.timeout must be > 0, was PT0S");
    }

    @Test
    void anLlmKeyOverPlainHttpToAHostOtherThanLoopbackIsRefusedUnlessAllowed() {
        Settings settings = new Settings();
        settings.llmShare = 1;
        settings.llmBaseUrl = Optional.of(URI.create("http://writer.example.org/v1"));
        settings.llmModel = Optional.of("writer");
        settings.llmApiKey = Optional.of("sk-writer-secret");

        assertThat(ConfigChecks.problems(settings)).singleElement().asString()
                .contains("prompts.llm.api-key", "writer.example.org",
                        "prompts.llm.allow-insecure=true").doesNotContain("sk-writer-secret");
        settings.llmAllowInsecure = true;
        assertThat(ConfigChecks.problems(settings)).isEmpty();
    }

    /** The defaults of {@link PromptGeneratorConfig}, each changeable. */
    private static final class Settings implements PromptGeneratorConfig {
        long seed = 1;
        double negotiationShare = 1.0;
        double heldOutShare = 0.05;
        Optional<Path> seeds = Optional.empty();
        double dedupThreshold = 0.8;
        double rate = 2;
        long maxTasks = 0;
        String group = "rollout-service";
        long maxLag = 64;
        String trainerGroup = "trainer-service";
        long trainerMaxLag = 32;
        Duration checkInterval = Duration.ofSeconds(1);
        double llmShare = 0;
        Optional<URI> llmBaseUrl = Optional.empty();
        Optional<String> llmModel = Optional.empty();
        Optional<String> llmApiKey = Optional.empty();
        boolean llmAllowInsecure;
        Duration llmTimeout = Duration.ofSeconds(60);

        @Override
        public long seed() {
            return seed;
        }

        @Override
        public double negotiationShare() {
            return negotiationShare;
        }

        @Override
        public double heldOutShare() {
            return heldOutShare;
        }

        @Override
        public Optional<Path> seeds() {
            return seeds;
        }

        @Override
        public boolean replaceSeeds() {
            return false;
        }

        @Override
        public double dedupThreshold() {
            return dedupThreshold;
        }

        @Override
        public double rate() {
            return rate;
        }

        @Override
        public long maxTasks() {
            return maxTasks;
        }

        @Override
        public boolean resume() {
            return true;
        }

        @Override
        public Pacing pacing() {
            return new Pacing() {
                @Override
                public String group() {
                    return group;
                }

                @Override
                public long maxLag() {
                    return maxLag;
                }

                @Override
                public String trainerGroup() {
                    return trainerGroup;
                }

                @Override
                public long trainerMaxLag() {
                    return trainerMaxLag;
                }

                @Override
                public Duration checkInterval() {
                    return checkInterval;
                }
            };
        }

        @Override
        public Audit audit() {
            return () -> true;
        }

        @Override
        public Llm llm() {
            return new Llm() {
                public double share() {
                    return llmShare;
                }

                public Optional<URI> baseUrl() {
                    return llmBaseUrl;
                }

                public Optional<String> model() {
                    return llmModel;
                }

                public Optional<String> apiKey() {
                    return llmApiKey;
                }

                public boolean allowInsecure() {
                    return llmAllowInsecure;
                }

                public JsonMode jsonMode() {
                    return JsonMode.SCHEMA;
                }

                public double temperature() {
                    return 1.0;
                }

                public int maxTokens() {
                    return 1500;
                }

                public Duration timeout() {
                    return llmTimeout;
                }

                public int maxRetries() {
                    return 2;
                }

                public Duration retryDelay() {
                    return Duration.ofSeconds(1);
                }

                public int circuitWindow() {
                    return 20;
                }

                public double circuitFailureRatio() {
                    return 0.5;
                }

                public Duration circuitDelay() {
                    return Duration.ofSeconds(30);
                }
            };
        }
    }
}
