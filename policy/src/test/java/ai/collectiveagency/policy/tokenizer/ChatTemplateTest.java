package ai.collectiveagency.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Expected strings: see {@code chat-templates/README.md} in the test resources. */
class ChatTemplateTest {

    private static final Map<String, String> LLAMA_3_TOKENS =
            Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>");
    private static final Map<String, String> LLAMA_2_TOKENS =
            Map.of("bos_token", "<s>", "eos_token", "</s>");

    static List<Path> qwenFixtures() {
        return TestFolders.qwenFixtures();
    }

    @ParameterizedTest
    @MethodSource("qwenFixtures")
    void fixtureTemplateRendersTheReferencePrompt(Path folder) {
        JsonNode example = TestFolders.expected(folder).path("chat_example");
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : example.path("messages")) {
            messages.add(new Message(m.path("role").asText(), m.path("content").asText()));
        }
        String rendered = ChatTemplate.load(folder).render(messages, true);
        assertThat(rendered).isEqualTo(example.path("rendered").asText());
    }

    @Test
    void llama3StartsWithBosAndTrimsEachMessage() {
        ChatTemplate template = template("llama-3.jinja", LLAMA_3_TOKENS);
        String rendered = template.render(List.of(
                Message.system("You are a negotiator."),
                Message.user("  Offer 5 apples.\n"),
                Message.assistant("I accept.")), true);
        assertThat(rendered).isEqualTo("<|begin_of_text|>"
                + "<|start_header_id|>system<|end_header_id|>\n\nYou are a negotiator.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nOffer 5 apples.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nI accept.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void llama2FoldsTheSystemPromptIntoTheFirstTurn() {
        ChatTemplate template = template("llama-2.jinja", LLAMA_2_TOKENS);
        String rendered = template.render(List.of(
                Message.system("Be brief."),
                Message.user(" Hi there "),
                Message.assistant("Hello!"),
                Message.user("Split 10 coins?")), false);
        assertThat(rendered).isEqualTo("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n"
                + " Hi there [/INST] Hello! </s><s>[INST] Split 10 coins? [/INST]");
    }

    @Test
    void llama2RefusesRolesThatDoNotAlternateWithTheTemplatesMessage() {
        ChatTemplate template = template("llama-2.jinja", LLAMA_2_TOKENS);
        List<Message> twoUserTurns = List.of(Message.user("Hi"), Message.user("again"));
        assertThatThrownBy(() -> template.render(twoUserTurns, false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(
                        "Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void qwen25DashMarkersRemoveTheTemplatesIndentation() {
        ChatTemplate template = template("qwen2.5.jinja", Map.of());
        String rendered = template.render(List.of(
                Message.user("What is the weather?"),
                Message.assistant("Let me check."),
                new Message("tool", "sunny"),
                new Message("tool", "22C"),
                Message.user("Thanks")), true);
        assertThat(rendered).isEqualTo("<|im_start|>system\n"
                + "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is the weather?<|im_end|>\n"
                + "<|im_start|>assistant\nLet me check.<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nsunny\n</tool_response>\n"
                + "<tool_response>\n22C\n</tool_response><|im_end|>\n"
                + "<|im_start|>user\nThanks<|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void qwen25KeepsAGivenSystemPrompt() {
        ChatTemplate template = template("qwen2.5.jinja", Map.of());
        String rendered = template.render(
                List.of(Message.system("Negotiate fairly."), Message.user("Hi")), false);
        assertThat(rendered).isEqualTo("<|im_start|>system\nNegotiate fairly.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n");
    }

    @Test
    void blockTagsOnTheirOwnLinesLeaveNoBlankLinesOrIndentation() {
        ChatTemplate template = template("plain-block-tags.jinja", Map.of());
        String rendered =
                template.render(List.of(Message.system("Be fair."), Message.user("hi")), true);
        assertThat(rendered).isEqualTo("System: Be fair.\nUser: hi\nAssistant:\n");
    }

    @Test
    void oneTrailingNewlineOfTheSourceIsDroppedAsJinja2Does() {
        assertThat(ChatTemplate.of("hi\n\n", Map.of()).render(List.of(), false)).isEqualTo("hi\n");
    }

    @Test
    void messageTextIsNotInterpretedAsTemplateCode() {
        ChatTemplate template = ChatTemplate.of("{{ messages[0]['content'] }}", Map.of());
        assertThat(template.render(List.of(Message.user("{{ 1 + 1 }}")), false))
                .isEqualTo("{{ 1 + 1 }}");
    }

    @Test
    void aListOfTemplatesUsesTheOneNamedDefault(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of("tokenizer_config.json", """
                {"chat_template": [
                  {"name": "tool_use", "template": "tools"},
                  {"name": "default", "template": "{{ bos_token }}{{ messages[0].content }}"}],
                 "bos_token": {"content": "<s>", "lstrip": false}}"""));
        assertThat(ChatTemplate.load(folder).render(List.of(Message.user("x")), false))
                .isEqualTo("<s>x");
    }

    @Test
    void aFolderWithoutATemplateFailsOnRenderNamingTheFile(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir,
                Map.of("tokenizer_config.json", "{\"eos_token\": \"<|im_end|>\"}"));
        ChatTemplate template = ChatTemplate.load(folder);
        assertThat(template.isPresent()).isFalse();
        assertThatThrownBy(() -> template.render(List.of(Message.user("hi")), true))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage(folder.resolve("tokenizer_config.json") + " has no chat_template");
    }

    @Test
    void aMalformedTemplateFailsNamingItsFile(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of("tokenizer_config.json",
                "{\"chat_template\": \"{% for m in messages %}{{ m.content }}\"}"));
        assertThatThrownBy(() -> ChatTemplate.load(folder).render(List.of(), false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(folder.resolve("tokenizer_config.json").toString())
                .hasMessageContaining("endfor");
    }

    @Test
    void aChatTemplateJinjaFileTakesPrecedenceOverTheTokenizerConfig(@TempDir Path dir) {
        Path folder = TestFolders.withFixtureTokenizer(dir, Map.of(
                "tokenizer_config.json", "{\"chat_template\": \"old\", \"bos_token\": \"<s>\"}",
                ChatTemplate.TEMPLATE_FILE, "{{ bos_token }}new:{{ messages[0].content }}\n"));
        assertThat(ChatTemplate.load(folder).render(List.of(Message.user("x")), false))
                .isEqualTo("<s>new:x");
    }

    @Test
    void strftimeNowGivesTodaysDateAsLlama31TemplatesAskForIt() {
        ChatTemplate template = ChatTemplate.of("{{ strftime_now('%d %b %Y') }}", Map.of());
        String today = java.time.LocalDate.now().format(
                java.time.format.DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        assertThat(template.render(List.of(), false)).isEqualTo(today);
    }

    private static ChatTemplate template(String resource, Map<String, String> specialTokens) {
        return ChatTemplate.of(TestFolders.template(resource), specialTokens);
    }
}
