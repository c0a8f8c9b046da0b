package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.topics.PipelineClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The SCRAM-SHA-512 credentials of the pipeline's users on the secured broker, set through the
 * Admin API (KRaft keeps them in its metadata log, salted and hashed, never the password).
 */
public final class ScramUsers {

    /** SCRAM-SHA-512, as the client listener offers. */
    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
    /** Hash iterations of a stored credential (Kafka's minimum is 4096). */
    static final int ITERATIONS = 8192;

    private ScramUsers() {
    }

    /**
     * Creates or updates each user's credential with its password, and returns once the broker
     * knows every one of them (so that a client that logs in next is not refused).
     */
    static void ensure(Admin admin, Map<PipelineClient, ClientCredentials> credentials,
            Duration timeout) throws InterruptedException {
        List<UserScramCredentialAlteration> upserts = credentials.values().stream()
                .map(c -> (UserScramCredentialAlteration) new UserScramCredentialUpsertion(
                        c.client().user(), new ScramCredentialInfo(MECHANISM, ITERATIONS),
                        c.password()))
                .toList();
        List<String> users = credentials.keySet().stream().map(PipelineClient::user).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            admin.alterUserScramCredentials(upserts).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            while (true) {
                try {
                    admin.describeUserScramCredentials(users).all()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(50);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the SCRAM credentials of " + users,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }
}
