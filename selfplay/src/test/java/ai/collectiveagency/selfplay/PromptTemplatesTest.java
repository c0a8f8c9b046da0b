package ai.collectiveagency.selfplay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.TaskMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Prompt files: placeholders, the shipped defaults, a user's folder overriding them. */
class PromptTemplatesTest {

    @Test
    void fillReplacesEveryPlaceholder() {
        PromptTemplate template = new PromptTemplate("t", "{a} and {b_c}, {a}");

        assertThat(template.fill(Map.of("a", "x", "b_c", "$y\\"))).isEqualTo("x and $y\\, x");
    }

    @Test
    void unknownPlaceholderIsAnErrorNamingIt() {
        PromptTemplate template = new PromptTemplate("persona-system", "You are {nmae}.");

        assertThatThrownBy(() -> template.fill(Map.of("name", "Ana")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("persona-system").hasMessageContaining("{nmae}");
    }

    @Test
    void shippedPersonaPromptStatesPersonaScenarioAndRules() {
        var task = TestTasks.task("t1", TaskMode.NEGOTIATION, 1);
        String prompt = new Perspective(PromptTemplates.defaults(), 2)
                .systemPrompt(task, Speaker.B);

        assertThat(prompt).contains("Benedikt", "village miller", "care", "keep the mill",
                "no theft", "River", "Both farms need the river.", "Ana", "farmer",
                "knowledge, benevolence, power and vitality", "one turn at a time");
    }

    @Test
    void everyShippedPromptFillsFromATask() {
        var task = TestTasks.task("t1", TaskMode.NEGOTIATION, 1);
        Dialogue dialogue = Dialogue.start(task).then("Share it.").then("Agreed.");
        PromptTemplates templates = PromptTemplates.defaults();

        assertThat(new ClosingPrompts(templates).resolution(dialogue).get(1).content())
                .contains("Ana: Share it.\nBenedikt: Agreed.");
        assertThat(new ClosingPrompts(templates).answer(task)).hasSize(2);
        assertThat(templates.agreement().fill(TaskText.of(task, dialogue.turns())))
                .contains("YES or NO");
    }

    @Test
    void aFolderReplacesOnlyTheFilesItHas(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("opening.txt"), "Start now.\n");

        PromptTemplates templates = PromptTemplates.load(folder);

        assertThat(templates.opening().text()).isEqualTo("Start now.");
        assertThat(templates.personaSystem()).isEqualTo(PromptTemplates.defaults()
                .personaSystem());
    }

    @Test
    void recalledThoughtsAreReadByteForByteAndNeedTheirPlaceholder(@TempDir Path folder)
            throws IOException {
        assertThat(PromptTemplates.defaults().recalledThoughts().text())
                .isEqualTo("<think>\n{thoughts}\n</think>\n\n");
        Files.writeString(folder.resolve("recalled-thoughts.txt"), "Thoughts: {thougths}\n");

        assertThatThrownBy(() -> PromptTemplates.load(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'recalled-thoughts' must hold {thoughts} exactly once");
    }

    @Test
    void theShippedThoughtsPromptAsksTheListenerToThinkAsItself() {
        var task = TestTasks.task("t1", TaskMode.NEGOTIATION, 1);
        Dialogue dialogue = Dialogue.start(task).then("Share it.");

        var thinking = new Perspective(PromptTemplates.defaults(), 2).thinking(dialogue);

        assertThat(thinking.get(0).content()).startsWith("You are Ana");
        assertThat(thinking.get(thinking.size() - 1).content())
                .contains("While Benedikt answers, think privately as Ana");
    }
}
