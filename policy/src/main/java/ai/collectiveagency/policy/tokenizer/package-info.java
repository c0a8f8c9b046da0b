/**
 * Text in and out of a Hugging Face model folder: {@link
 * ai.collectiveagency.policy.tokenizer.TextTokenizer} (text ↔ {@code int[]} ids), {@link
 * ai.collectiveagency.policy.tokenizer.ChatTemplate} (conversation → prompt text) and {@link
 * ai.collectiveagency.policy.tokenizer.GenerationDefaults} (EOS/BOS/pad ids, sampling settings).
 */
package ai.collectiveagency.policy.tokenizer;
