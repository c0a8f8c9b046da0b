package ai.collectiveagency.rollout.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The bearer keys the API accepts. Only their SHA-256 digests are kept, and a presented key is
 * hashed and compared with every one of them with {@link MessageDigest#isEqual} (constant time
 * for equal lengths, and digests all have 32 bytes): the time an answer takes tells a caller
 * neither how much of a key it guessed nor how long the keys are, nor which key matched.
 */
final class ApiKeys {

    private static final String BEARER = "bearer ";

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    /** The keys of {@code rollout.api.keys}, blanks dropped and spaces trimmed. */
    static ApiKeys of(ApiConfig config) {
        return new ApiKeys(config.keys().orElse(List.of()).stream().map(String::strip)
                .filter(key -> !key.isEmpty()).map(ApiKeys::sha256).toList());
    }

    boolean isEmpty() {
        return digests.isEmpty();
    }

    int size() {
        return digests.size();
    }

    /** Whether an {@code Authorization} header ({@code Bearer <key>}) carries an accepted key. */
    boolean admits(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return false;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented); // no early exit
        }
        return match;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
