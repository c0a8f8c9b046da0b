package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.tokenizer.Message;
import java.util.List;

/**
 * A checked chat request with {@code "reasoning": {"mode": "async"}}, ready for the policy
 * worker: one choice whose answer a public writer stream writes while a private thinker stream
 * thinks, both decoding together (Asynchronous Reasoning, arXiv 2512.10931).
 *
 * @param messages the conversation
 * @param maxTokens the writer's budget ({@code max_tokens} / {@code max_completion_tokens});
 *     null: {@link ApiConfig#defaultMaxTokens()}, less where the context ends first
 * @param maxParam the parameter that set {@code maxTokens}, for refusals
 * @param thinkerTokens the thinker's budget ({@code reasoning.max_reasoning_tokens})
 * @param temperature 0 is greedy; both streams sample at it
 * @param topP nucleus threshold in (0, 1], both streams
 * @param seed the thinker samples from it, the writer from {@code seed + 1}
 * @param stream whether the answer is streamed as server-sent events
 * @param adapter the runtime LoRA adapter the request names, null for the served policy
 */
record ReasoningJob(List<Message> messages, Integer maxTokens, String maxParam,
        int thinkerTokens, double temperature, double topP, long seed, boolean stream,
        String adapter) {

    ReasoningJob {
        messages = List.copyOf(messages);
    }

    /** The same job, generated with the runtime adapter {@code name} (null: none). */
    ReasoningJob withAdapter(String name) {
        return new ReasoningJob(messages, maxTokens, maxParam, thinkerTokens, temperature, topP,
                seed, stream, name);
    }
}
