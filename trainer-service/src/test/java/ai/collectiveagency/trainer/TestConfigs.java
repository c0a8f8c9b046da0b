package ai.collectiveagency.trainer;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.config.TrainerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real {@link TrainerConfig} mapping, built from properties as a user writes them. */
public final class TestConfigs {

    /** The tiny model of the tests, relative to the module. */
    public static final String MODEL = "../models/qwen2-tiny-random";

    private TestConfigs() {
    }

    /**
     * {@code properties} over the defaults, with {@code trainer.model} the tiny model and the
     * topic prefix the service's application.properties sets.
     */
    public static TrainerConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("trainer.model", MODEL,
                "pipeline.topic-prefix", TopicCatalogue.DEFAULT_PREFIX));
        all.putAll(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(TrainerConfig.class)
                // ${pipeline.topic-prefix} in the topics' defaults, expanded as Quarkus does
                .addDefaultInterceptors()
                // Quarkus's durations ("15m"), as the service reads them
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build();
        return config.getConfigMapping(TrainerConfig.class);
    }
}
