package ai.collectiveagency.policy.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's chat template: turns a conversation into the prompt text the model was trained on.
 *
 * <p>Renders the {@code chat_template} of {@code tokenizer_config.json} with a Jinja engine set up
 * as Hugging Face's {@code apply_chat_template} sets up Python jinja2 ({@code trim_blocks},
 * {@code lstrip_blocks}, {@code raise_exception}). The template sees {@code messages} (a list of
 * {@code {role, content}}), {@code add_generation_prompt}, and the special tokens of the config
 * ({@code bos_token}, {@code eos_token}, {@code unk_token}, {@code pad_token}) that are set.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.load(modelFolder);
 * String prompt = template.render(List.of(Message.user("hello")), true);
 * int[] ids = tokenizer.encodeWithoutSpecialTokens(prompt);
 * }</pre>
 */
public final class ChatTemplate {

    /** The Jinja source, or null when the config has no template (an error only on render). */
    private final String source;
    private final String origin;
    private final Map<String, String> specialTokens;

    private ChatTemplate(String source, String origin, Map<String, String> specialTokens) {
        this.source = source;
        this.origin = origin;
        this.specialTokens = Map.copyOf(specialTokens);
    }

    /** Newer Hugging Face folders keep the template in its own file. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    /**
     * The template of a model folder: {@value #TEMPLATE_FILE} when present, else the
     * {@code chat_template} of {@code tokenizer_config.json}.
     */
    public static ChatTemplate load(Path modelFolder) {
        TokenizerConfigFile config = TokenizerConfigFile.read(modelFolder);
        Path file = modelFolder.resolve(TEMPLATE_FILE);
        if (!Files.exists(file)) {
            return from(config);
        }
        try {
            return new ChatTemplate(Files.readString(file), file.toString(),
                    config.specialTokens());
        } catch (IOException e) {
            throw new ChatTemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The template of an already read {@code tokenizer_config.json}. */
    public static ChatTemplate from(TokenizerConfigFile config) {
        return new ChatTemplate(config.chatTemplate().orElse(null), config.file().toString(),
                config.specialTokens());
    }

    /**
     * A template given as Jinja source.
     *
     * @param specialTokens template variables such as {@code bos_token} mapped to their text
     */
    public static ChatTemplate of(String source, Map<String, String> specialTokens) {
        return new ChatTemplate(Objects.requireNonNull(source, "source"), "the given source",
                specialTokens);
    }

    /** Whether there is a template to render. */
    public boolean isPresent() {
        return source != null;
    }

    /**
     * Renders a conversation.
     *
     * @param addGenerationPrompt whether to end with the header that opens the assistant's turn
     * @throws ChatTemplateException when there is no template, or it fails or refuses the input
     */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        if (source == null) {
            throw new ChatTemplateException(origin + " has no chat_template");
        }
        Map<String, Object> variables = new HashMap<>(specialTokens);
        variables.put("messages", messages.stream().map(Message::asTemplateValue).toList());
        variables.put("add_generation_prompt", addGenerationPrompt);
        return JinjaRenderer.render(source, variables, origin);
    }

    /** The Jinja source, if present. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
