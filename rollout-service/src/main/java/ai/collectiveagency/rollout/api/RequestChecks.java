package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.rollout.api.ChatCompletionRequest.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
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
    /** Most ids in {@code stop_token_ids}. */
    static final int MAX_STOP_TOKEN_IDS = 64;

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer");
    private static final List<String> REASONING_FIELDS = List.of("mode", "max_reasoning_tokens");

    /**
     * This server's limits.
     *
     * @param maxN most choices per prompt ({@code rollout.api.max-n})
     * @param maxSequences most prompts times {@code n} ({@code rollout.api.max-sequences})
     * @param context the model's positions; {@code max_tokens} must leave room for a prompt
     * @param vocabulary the model's vocabulary size: token ids are 0 to {@code vocabulary - 1}
     */
    record Limits(int maxN, int maxSequences, int context, int vocabulary) {

        /** Limits that take any token id below 2^31 (tests without a model). */
        Limits(int maxN, int maxSequences, int context) {
            this(maxN, maxSequences, context, Integer.MAX_VALUE);
        }

        static Limits of(ApiConfig config, int context, int vocabulary) {
            return new Limits(config.maxN(), config.maxSequences(), context, vocabulary);
        }
    }

    private RequestChecks() {
    }

    static GenerationJob chat(ChatCompletionRequest r, Limits limits) {
        List<Message> messages = messages(r);
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
                r.stopTokenIds(), r.seed(), logprobs, top, false, Boolean.TRUE.equals(r.stream()),
                limits);
    }

    /**
     * A chat request with {@code reasoning}: its {@code mode} must be {@code "async"}, its
     * {@code max_reasoning_tokens} (default {@code defaultThinkerTokens}) between 0 and
     * {@code maxThinkerTokens}, and no other field. What one asynchronous run cannot give is
     * refused, naming the field: more than one choice, log-probs, tools, stop strings and stop
     * ids, token ids. The other fields are checked as without reasoning.
     */
    static ReasoningJob reasoning(ChatCompletionRequest r, Limits limits,
            int defaultThinkerTokens, int maxThinkerTokens) {
        JsonNode reasoning = r.reasoning();
        if (!reasoning.isObject()) {
            throw ApiException.invalid("reasoning", "reasoning must be an object such as "
                    + "{\"mode\": \"async\"}");
        }
        for (Iterator<String> names = reasoning.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!REASONING_FIELDS.contains(name)) {
                throw ApiException.invalid("reasoning." + printable(name), "reasoning."
                        + printable(name) + " is not a field of reasoning; it takes "
                        + REASONING_FIELDS);
            }
        }
        JsonNode mode = reasoning.get("mode");
        if (mode == null || !mode.isTextual() || !mode.asText().equals("async")) {
            throw ApiException.invalid("reasoning.mode", "reasoning.mode must be \"async\" (the"
                    + " only mode this server has: asynchronous reasoning)");
        }
        int thinkerTokens = defaultThinkerTokens;
        JsonNode budget = reasoning.get("max_reasoning_tokens");
        if (budget != null && !budget.isNull()) {
            if (!budget.isIntegralNumber() || !budget.canConvertToInt()) {
                throw ApiException.invalid("reasoning.max_reasoning_tokens",
                        "reasoning.max_reasoning_tokens must be an integer");
            }
            thinkerTokens = budget.intValue();
            range("reasoning.max_reasoning_tokens", thinkerTokens, 0, maxThinkerTokens);
        }
        if (r.n() != null && r.n() != 1) {
            throw ApiException.invalid("n", "n must be 1 with reasoning: one thinker and one"
                    + " writer give one answer; was " + r.n());
        }
        refuseWithReasoning("logprobs", Boolean.TRUE.equals(r.logprobs()));
        refuseWithReasoning("top_logprobs", r.topLogprobs() != null);
        refuseWithReasoning("tools", r.tools() != null && !r.tools().isNull()
                && !(r.tools().isArray() && r.tools().isEmpty()));
        refuseWithReasoning("stop", r.stop() != null && !r.stop().isEmpty());
        refuseWithReasoning("stop_token_ids", r.stopTokenIds() != null
                && !r.stopTokenIds().isEmpty());
        refuseWithReasoning("return_token_ids", Boolean.TRUE.equals(r.returnTokenIds()));
        GenerationJob checked = chat(r, limits); // messages, max_tokens, temperature, top_p
        return new ReasoningJob(messages(r), checked.maxTokens(),
                r.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens",
                thinkerTokens, checked.temperature(), checked.topP(), checked.seeds()[0],
                checked.stream(), null);
    }

    private static void refuseWithReasoning(String param, boolean present) {
        if (present) {
            throw ApiException.invalid(param, param + " is not supported with reasoning");
        }
    }

    /** A field name as a message may show it: at most 40 plain characters. */
    private static String printable(String name) {
        String plain = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return plain.length() > 40 ? plain.substring(0, 40) + "..." : plain;
    }

    private static List<Message> messages(ChatCompletionRequest r) {
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
        return messages;
    }

    static GenerationJob completion(CompletionRequest r, Limits limits) {
        List<GenerationJob.PromptSource> prompts = completionPrompts(r.prompt(), limits);
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
        return job(prompts, r.n(), r.maxTokens(), "max_tokens", r.temperature(), r.topP(),
                r.stop(), r.stopTokenIds(), r.seed(), r.logprobs() != null,
                r.logprobs() == null ? 0 : r.logprobs(),
                Boolean.TRUE.equals(r.returnTokensAsTokenIds()), Boolean.TRUE.equals(r.stream()),
                limits);
    }

    /**
     * A completion's prompts, as vLLM takes them: a string, a list of strings, a list of token
     * ids, or a list of lists of token ids. Token ids must be in the vocabulary; a token prompt
     * that alone fills the context is refused here, the rest on the worker as text prompts are.
     */
    static List<GenerationJob.PromptSource> completionPrompts(JsonNode prompt, Limits limits) {
        String shape = "prompt must be a string, a list of strings, a list of token ids or a "
                + "list of such lists";
        if (prompt == null || prompt.isNull()) {
            throw ApiException.invalid("prompt", shape);
        }
        if (prompt.isTextual()) {
            return List.of(textPrompt(prompt));
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw ApiException.invalid("prompt", shape);
        }
        if (prompt.get(0).isNumber()) { // one prompt of token ids
            return List.of(tokenPrompt(prompt, "prompt", shape, limits));
        }
        if (prompt.size() > limits.maxSequences()) {
            throw ApiException.invalid("prompt", "at most " + limits.maxSequences()
                    + " prompts are accepted, there were " + prompt.size());
        }
        List<GenerationJob.PromptSource> prompts = new ArrayList<>();
        boolean text = prompt.get(0).isTextual();
        for (int i = 0; i < prompt.size(); i++) {
            JsonNode p = prompt.get(i);
            if (text && p.isTextual()) {
                prompts.add(textPrompt(p));
            } else if (!text && p.isArray()) {
                prompts.add(tokenPrompt(p, "prompt[" + i + "]", shape, limits));
            } else {
                throw ApiException.invalid("prompt", shape + " (not a mix of them)");
            }
        }
        return prompts;
    }

    private static GenerationJob.PromptSource textPrompt(JsonNode node) {
        String text = node.asText();
        if (text.isEmpty()) {
            throw ApiException.invalid("prompt", "a prompt must not be empty");
        }
        return policy -> policy.encode(text);
    }

    private static GenerationJob.PromptSource tokenPrompt(JsonNode node, String where,
            String shape, Limits limits) {
        if (node.isEmpty()) {
            throw ApiException.invalid("prompt", "a prompt must not be empty");
        }
        if (node.size() >= limits.context()) {
            throw ApiException.contextLength(node.size(), 1, limits.context());
        }
        int[] ids = new int[node.size()];
        for (int j = 0; j < ids.length; j++) {
            JsonNode id = node.get(j);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw ApiException.invalid("prompt", shape);
            }
            ids[j] = id.intValue();
            if (ids[j] < 0 || ids[j] >= limits.vocabulary()) {
                throw ApiException.invalid("prompt", "token id " + ids[j] + " at " + where + "["
                        + j + "] is not in the model's vocabulary (ids 0 to "
                        + (limits.vocabulary() - 1) + ")");
            }
        }
        return policy -> ids.clone();
    }

    private static Set<Integer> stopTokenIds(List<Integer> ids, Limits limits) {
        if (ids == null) {
            return Set.of();
        }
        if (ids.size() > MAX_STOP_TOKEN_IDS) {
            throw ApiException.invalid("stop_token_ids", "at most " + MAX_STOP_TOKEN_IDS
                    + " stop_token_ids are accepted, there were " + ids.size());
        }
        Set<Integer> set = new HashSet<>();
        for (Integer id : ids) {
            if (id == null || id < 0 || id >= limits.vocabulary()) {
                throw ApiException.invalid("stop_token_ids", "stop_token_ids must be token ids "
                        + "of the model's vocabulary (0 to " + (limits.vocabulary() - 1) + ")");
            }
            set.add(id);
        }
        return set;
    }

    private static GenerationJob job(List<GenerationJob.PromptSource> prompts, Integer n,
            Integer maxTokens, String maxParam, Double temperature, Double topP,
            List<String> stop, List<Integer> stopTokenIds, Long seed, boolean logprobs,
            int topLogprobs, boolean everyToken, boolean stream, Limits limits) {
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
                stopTokenIds(stopTokenIds, limits), seeds(seed, (int) sequences), logprobs,
                topLogprobs, everyToken, stream, null);
    }

    /**
     * One seed per choice, prompt-major. With a {@code seed}, the first choice of the first
     * prompt is sampled with {@code seed} itself, exactly as
     * {@code Policy.generate(prompts, params, new long[] {seed}, ...)} samples it, so a request
     * with {@code n} 1 reproduces local generation; the others with seeds drawn from it. The
     * same seed gives the same choices.
     */
    static long[] seeds(Long seed, int count) {
        SplittableRandom random = new SplittableRandom(
                seed != null ? seed : ThreadLocalRandom.current().nextLong());
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = random.nextLong();
        }
        if (seed != null && count > 0) {
            seeds[0] = seed;
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
