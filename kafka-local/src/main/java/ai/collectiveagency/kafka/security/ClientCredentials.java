package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.topics.PipelineClient;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A pipeline user's SCRAM password. {@link #toString()} hides it.
 *
 * @param client whose
 * @param password the password, URL-safe base64
 */
record ClientCredentials(PipelineClient client, String password) {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 192 random bits. */
    private static final int PASSWORD_BYTES = 24;

    ClientCredentials {
        Objects.requireNonNull(client, "client");
        if (password == null || password.isBlank() || password.contains("\"")
                || password.contains("\\")) {
            throw new IllegalArgumentException("unusable password for " + client.user());
        }
    }

    /** {@code client} with a new random password. */
    static ClientCredentials random(PipelineClient client) {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return new ClientCredentials(client,
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + client.user() + ", password [hidden]]";
    }
}
