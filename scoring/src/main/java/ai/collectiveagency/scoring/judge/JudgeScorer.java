package ai.collectiveagency.scoring.judge;

import ai.collectiveagency.llm.ChatException;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonReply;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat model that scores each text under a {@link Rubric}: one request per text (at most
 * {@code concurrency} at a time), the answer validated against the rubric's schema by
 * {@link JsonChat}, whose fault tolerance retries bad answers, 5xx and timeouts and opens a
 * circuit in a long outage. The reward is the mean of the dimension scores; a text whose request
 * failed is {@link Verdict.Unscorable} with the reason. Answers are cached by rubric, judge and
 * the hash of the task and text, so a replayed group costs nothing.
 *
 * <p>With {@code versionHeader} set (self-rewarding: the judge is the rollout-service's API), the
 * scorer version is that header of the replies, the policy version that judged.
 */
public final class JudgeScorer implements Scorer, AutoCloseable {

    /** The rollout-service's reply header naming the policy version that answered. */
    public static final String POLICY_VERSION_HEADER = "X-Policy-Version";

    private final JsonChat chat;
    private final Rubric rubric;
    private final JudgePrompt prompt;
    private final double temperature;
    private final int maxTokens;
    private final Optional<String> versionHeader;
    private final ExecutorService requests;
    private final Cache<String, Verdict.Scored> cache;
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();

    /**
     * @param chat asks the judge; its schema must be {@code rubric.answerSchema()}
     * @param concurrency requests in flight at once
     * @param cacheSize answers kept for replays (0: no cache)
     * @param versionHeader the reply header that names the scorer version, if any
     */
    public JudgeScorer(JsonChat chat, Rubric rubric, double temperature, int maxTokens,
            int concurrency, long cacheSize, Optional<String> versionHeader) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        }
        this.chat = chat;
        this.rubric = rubric;
        this.prompt = new JudgePrompt(rubric);
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.versionHeader = versionHeader;
        this.requests = Executors.newFixedThreadPool(concurrency, job -> {
            Thread thread = new Thread(job, "judge-request");
            thread.setDaemon(true);
            return thread;
        });
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    @Override
    public String id() {
        return "judge:" + rubric.id() + "@" + chat.endpoint().model();
    }

    public JsonChat chat() {
        return chat;
    }

    /** Cache lookups that found an answer, and all lookups. */
    public long cacheHits() {
        return cacheHits.get();
    }

    public long cacheLookups() {
        return lookups.get();
    }

    @Override
    public Scores score(List<ScoringInput> inputs) {
        List<CompletableFuture<Judged>> pending = new ArrayList<>(inputs.size());
        for (ScoringInput input : inputs) {
            pending.add(judge(input));
        }
        List<Verdict> verdicts = new ArrayList<>(inputs.size());
        String version = rubric.version();
        for (CompletableFuture<Judged> judged : pending) {
            Judged result = judged.join();
            verdicts.add(result.verdict());
            if (result.version() != null) {
                version = result.version();
            }
        }
        return new Scores(verdicts, versionHeader.isPresent() ? version
                : rubric.id() + "-v" + rubric.version());
    }

    private CompletableFuture<Judged> judge(ScoringInput input) {
        String key = cacheKey(input);
        lookups.incrementAndGet();
        Verdict.Scored cached = cache.getIfPresent(key);
        if (cached != null) {
            cacheHits.incrementAndGet();
            return CompletableFuture.completedFuture(new Judged(cached, null));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                JsonReply reply = chat.reply(prompt.messages(input), temperature, maxTokens,
                        seedOf(key));
                Verdict.Scored scored = scored(reply.json());
                cache.put(key, scored);
                String version = versionHeader.flatMap(h -> reply.headers().firstValue(h))
                        .orElse(null);
                return new Judged(scored, version);
            } catch (ChatException e) {
                return new Judged(new Verdict.Unscorable(e.getMessage(),
                        e.failure().unreachable()), null);
            }
        }, requests);
    }

    private Verdict.Scored scored(JsonNode answer) {
        Map<String, Double> breakdown = new LinkedHashMap<>();
        double sum = 0;
        for (Rubric.Dimension dimension : rubric.dimensions()) {
            double score = answer.get("scores").get(dimension.key()).asDouble();
            breakdown.put(dimension.key(), score);
            sum += score;
        }
        return new Verdict.Scored(sum / rubric.dimensions().size(), breakdown);
    }

    private String cacheKey(ScoringInput input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((rubric.id() + "@" + rubric.version() + "\n" + chat.endpoint().model()
                    + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(JudgePrompt.data(input).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long seedOf(String key) {
        return Long.parseUnsignedLong(key.substring(0, 15), 16);
    }

    @Override
    public void close() {
        requests.shutdownNow();
    }

    /** A verdict and the scorer version its reply named, if any. */
    private record Judged(Verdict verdict, String version) {
    }
}
