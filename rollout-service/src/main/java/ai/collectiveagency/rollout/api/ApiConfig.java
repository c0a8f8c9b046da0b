package ai.collectiveagency.rollout.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the OpenAI-compatible API, keys under {@code rollout.api.}. */
@ConfigMapping(prefix = "rollout.api")
public interface ApiConfig {

    /** Most choices one request may ask for ({@code n}, times the prompts of a completion). */
    @WithDefault("8")
    int maxChoices();

    /** Tokens generated when a request names no {@code max_tokens} (less if the context ends). */
    @WithDefault("256")
    int defaultMaxTokens();
}
