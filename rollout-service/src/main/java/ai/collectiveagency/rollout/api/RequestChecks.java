package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.rollout.api.ChatCompletionRequest.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request body into a {@link GenerationJob}, or refuses it with a 400 naming the
 * parameter, before anything costs the model: OpenAI's ranges (temperature in [0, 2], top_p in
 * (0, 1], at most 4 stop strings, top_logprobs in [0, 20], completion logprobs in [0, 5]) and
 * this server's limits ({@link Limits}). Counts that multiply are multiplied as {@code long}.
 */
final class RequestChecks {

    /** Most messages in one chat request. */
    static final int MAX_MESSAGES = 1024;
    /** Most characters in one stop string (each is searched for after every token). */
    static final int MAX_STOP_CHARS = 256;

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer");

    /**
     * This server's limits.
     *
     * @param maxN most choices per prompt ({@code rollout.api.max-n})
     * @param maxSequences most prompts times {@code n} ({@code rollout.api.max-sequences})
     * @param context the model's positions; {@code max_tokens} must leave room for a prompt
     */
    record Limits(int maxN, int maxSequences, int context) {

        static Limits of(ApiConfig config, int context) {
            return new Limits(config.maxN(), config.maxSequences(), context);
        }
    }

    private RequestChecks() {
    }

    static GenerationJob chat(ChatCompletionRequest r, Limits limits) {
        if (r.messages() == null || r.messages().isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list");
        }
        if (r.messages().size() > MAX_MESSAGES) {
            throw ApiException.invalid("messages", "at most " + MAX_MESSAGES
                    + " messages are accepted, there were " + r.messages().size());
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < r.messages().size(); i++) {
            messages.add(message(r.messages().get(i), "messages[" + i + "]"));
        }
        if (r.topLogprobs() != null) {
            range("top_logprobs", r.topLogprobs(), 0, 20);
        }
        Integer maxTokens = r.maxCompletionTokens() != null ? r.maxCompletionTokens()
                : r.maxTokens();
        String maxParam = r.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        List<GenerationJob.PromptSource> prompts = List.of(policy -> policy.encodeChat(messages));
        boolean logprobs = Boolean.TRUE.equals(r.logprobs());
        int top = logprobs && r.topLogprobs() != null ? r.topLogprobs() : 0;
        return job(prompts, r.n(), maxTokens, maxParam, r.temperature(), r.topP(), r.stop(),
                r.seed(), logprobs, top, Boolean.TRUE.equals(r.stream()), limits);
    }

    static GenerationJob completion(CompletionRequest r, Limits limits) {
        if (r.prompt() == null || r.prompt().isEmpty()) {
            throw ApiException.invalid("prompt", "prompt must be a string or a non-empty list of "
                    + "strings");
        }
        if (r.prompt().size() > limits.maxSequences()) {
            throw ApiException.invalid("prompt", "at most " + limits.maxSequences()
                    + " prompts are accepted, there were " + r.prompt().size());
        }
        if (r.prompt().stream().anyMatch(p -> p == null || p.isEmpty())) {
            throw ApiException.invalid("prompt", "a prompt must not be empty");
        }
        if (Boolean.TRUE.equals(r.echo())) {
            throw ApiException.invalid("echo", "echo is not supported");
        }
        if (r.suffix() != null) {
            throw ApiException.invalid("suffix", "suffix is not supported");
        }
        if (r.bestOf() != null && r.bestOf() != 1 && !r.bestOf().equals(r.n())) {
            throw ApiException.invalid("best_of", "best_of other than n is not supported");
        }
        if (r.logprobs() != null) {
            range("logprobs", r.logprobs(), 0, 5);
        }
        List<GenerationJob.PromptSource> prompts = r.prompt().stream()
                .<GenerationJob.PromptSource>map(text -> policy -> policy.encode(text)).toList();
        return job(prompts, r.n(), r.maxTokens(), "max_tokens", r.temperature(), r.topP(),
                r.stop(), r.seed(), r.logprobs() != null, r.logprobs() == null ? 0 : r.logprobs(),
                Boolean.TRUE.equals(r.stream()), limits);
    }

    private static GenerationJob job(List<GenerationJob.PromptSource> prompts, Integer n,
            Integer maxTokens, String maxParam, Double temperature, Double topP,
            List<String> stop, Long seed, boolean logprobs, int topLogprobs, boolean stream,
            Limits limits) {
        int choices = n == null ? 1 : n;
        if (choices < 1 || choices > limits.maxN()) {
            throw ApiException.invalid("n", "n must be between 1 and " + limits.maxN()
                    + ", was " + choices);
        }
        long sequences = (long) choices * prompts.size();
        if (sequences > limits.maxSequences()) {
            throw ApiException.invalid("n", "n (" + choices + ") times the number of prompts ("
                    + prompts.size() + ") must be at most " + limits.maxSequences()
                    + ", this server's limit of sequences per request");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiException.invalid(maxParam, maxParam + " must be at least 1, was "
                    + maxTokens);
        }
        if (maxTokens != null && maxTokens >= limits.context()) {
            throw ApiException.invalid(maxParam, maxParam + " must be less than the model's "
                    + "context of " + limits.context() + " tokens, which also holds the prompt; "
                    + "was " + maxTokens);
        }
        double t = temperature == null ? 1.0 : temperature;
        if (!(t >= 0 && t <= 2)) {
            throw ApiException.invalid("temperature", "temperature must be between 0 and 2, was "
                    + t);
        }
        double p = topP == null ? 1.0 : topP;
        if (!(p > 0 && p <= 1)) {
            throw ApiException.invalid("top_p", "top_p must be in (0, 1], was " + p);
        }
        List<String> stops = stop == null ? List.of() : stop;
        if (stops.size() > 4 || stops.stream().anyMatch(s -> s == null || s.isEmpty()
                || s.length() > MAX_STOP_CHARS)) {
            throw ApiException.invalid("stop", "stop must be a non-empty string of at most "
                    + MAX_STOP_CHARS + " characters or a list of at most 4 of them");
        }
        return new GenerationJob(prompts, choices, maxTokens, t, p, stops,
                seeds(seed, (int) sequences), logprobs, topLogprobs, stream);
    }

    /** One seed per choice: drawn from {@code seed}, so the same seed gives the same choices. */
    static long[] seeds(Long seed, int count) {
        SplittableRandom random = new SplittableRandom(
                seed != null ? seed : ThreadLocalRandom.current().nextLong());
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = random.nextLong();
        }
        return seeds;
    }

    private static Message message(ChatMessage m, String param) {
        if (m == null || m.role() == null || !ROLES.contains(m.role())) {
            throw ApiException.invalid(param + ".role", "role must be one of " + ROLES);
        }
        String role = m.role().equals("developer") ? "system" : m.role();
        return new Message(role, content(m.content(), param + ".content"));
    }

    /** A string, or the text parts of a list of content parts joined with newlines. */
    private static String content(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            List<String> texts = new ArrayList<>();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.invalid(param, "only text content parts are supported");
                }
                texts.add(part.path("text").asText());
            }
            return String.join("\n", texts);
        }
        throw ApiException.invalid(param, "content must be a string or a list of text parts");
    }

    private static void range(String param, int value, int min, int max) {
        if (value < min || value > max) {
            throw ApiException.invalid(param, param + " must be between " + min + " and " + max
                    + ", was " + value);
        }
    }
}
