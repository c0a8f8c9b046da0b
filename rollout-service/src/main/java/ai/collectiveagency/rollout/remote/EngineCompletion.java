package ai.collectiveagency.rollout.remote;

import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One sequence as a vLLM {@code /v1/completions} call, token ids in and token ids out: the
 * prompt as a list of token ids, {@code n} 1 with the sequence's own seed, the stop ids the
 * policy stops at, and {@code logprobs: 0} with {@code return_tokens_as_token_ids}, so the answer
 * lists each sampled token as {@code token_id:<id>} with its log-prob. Text is never read back,
 * so nothing is re-tokenized.
 *
 * <p>Log-probs: the project's own server gives {@code log_softmax(logits / T)}, as
 * {@link Generation} defines them. vLLM gives them so with {@code --logprobs-mode
 * processed_logprobs} at {@code top_p} 1 (k8s/README.md, "The vLLM engine").
 */
final class EngineCompletion {

    static final String PATH = "v1/completions";
    private static final String TOKEN_PREFIX = "token_id:";

    private EngineCompletion() {
    }

    /** The request body for {@code prompt} sampled from {@code seed}. */
    static Map<String, Object> request(String model, int[] prompt, SamplingParams params,
            long seed, Set<Integer> stopTokenIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("prompt", prompt);
        body.put("n", 1);
        body.put("seed", seed);
        body.put("temperature", params.temperature());
        body.put("top_p", params.topP());
        if (params.topK() > 0) {
            body.put("top_k", params.topK());
        }
        body.put("max_tokens", params.maxNewTokens());
        body.put("stop_token_ids", stopTokenIds);
        body.put("logprobs", 0);
        body.put("return_tokens_as_token_ids", true);
        return body;
    }

    /**
     * The generation of an answer to {@link #request}.
     *
     * @throws EngineCallException (not retryable) when the answer is not such a completion
     */
    static Generation parse(Engine engine, JsonNode answer) {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode logprobs = choice.path("logprobs");
        JsonNode tokens = logprobs.path("tokens");
        JsonNode values = logprobs.path("token_logprobs");
        if (!tokens.isArray() || !values.isArray() || tokens.size() != values.size()) {
            throw malformed(engine, "no choices[0].logprobs with tokens and token_logprobs of"
                    + " one length");
        }
        int[] ids = new int[tokens.size()];
        float[] logprob = new float[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            String token = tokens.get(i).asText();
            if (!token.startsWith(TOKEN_PREFIX) || !values.get(i).isNumber()) {
                throw malformed(engine, "token " + i + " is '" + token + "' with log-prob "
                        + values.get(i) + ", not token_id:<id> with a number (is the engine"
                        + " vLLM-compatible, with return_tokens_as_token_ids?)");
            }
            try {
                ids[i] = Integer.parseInt(token.substring(TOKEN_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw malformed(engine, "token " + i + " is '" + token + "'");
            }
            logprob[i] = values.get(i).floatValue();
        }
        String finish = choice.path("finish_reason").asText("");
        FinishReason reason = switch (finish) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            default -> throw malformed(engine, "finish_reason '" + finish + "'");
        };
        return new Generation(ids, logprob, reason);
    }

    private static EngineCallException malformed(Engine engine, String what) {
        return new EngineCallException(engine + "/" + PATH + " answered a malformed completion: "
                + what, 200, false, null);
    }
}
