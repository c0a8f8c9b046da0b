package ai.collectiveagency.scoring.pairwise;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.llm.OpenAiChatClient;
import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.scoring.judge.Rubric;
import ai.collectiveagency.scoring.TestData;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both orders against a real HTTP server: a win counts only when the orders agree. */
class PairwiseJudgeTest {

    ScriptedChatServer server;
    PairwiseJudge judge;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedChatServer();
        judge = new PairwiseJudge(new JsonChat(new OpenAiChatClient(new ChatEndpoint(
                server.baseUrl(), "judge", Optional.empty()), Duration.ofSeconds(2)),
                PairwiseJudge.schema(), JsonMode.SCHEMA, new ChatGuard(Duration.ofSeconds(1), 0,
                        Duration.ZERO, 50, 0.9, Duration.ofSeconds(30))), "judge",
                Rubric.load("ca"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String better(String which) {
        return "{\"better\": \"" + which + "\", \"rationale\": \"r\"}";
    }

    @Test
    void agreeingOrdersGiveAWinAndTheSecondRequestSwapsTheTexts() throws Exception {
        server.then(answer(better("text_1")), answer(better("text_2")));

        PairwiseComparison comparison = judge.compare(new PairToJudge(TestData.task("t"),
                "share", "take"));

        assertThat(comparison.outcome()).isEqualTo(PairwiseOutcome.WIN);
        var json = new ObjectMapper();
        var first = json.readTree(json.readTree(server.bodies().get(0))
                .at("/messages/1/content").asText());
        var second = json.readTree(json.readTree(server.bodies().get(1))
                .at("/messages/1/content").asText());
        assertThat(first.get("text_1").asText()).isEqualTo("share");
        assertThat(second.get("text_1").asText()).isEqualTo("take");
    }

    @Test
    void ordersThatDisagreeAreTiesAndAFailedOrderIsLeftOutOfTheRate() {
        server.then(answer(better("text_1")), answer(better("text_1")),
                answer(better("text_2")), answer(better("text_1")),
                answer(better("tie")), answer(better("tie")), status(500, "down"));
        List<PairToJudge> pairs = List.of("a", "b", "c", "d").stream()
                .map(id -> new PairToJudge(TestData.task(id), "x", "y")).toList();

        List<PairwiseComparison> comparisons = judge.compare(pairs);

        assertThat(comparisons).extracting(PairwiseComparison::outcome).containsExactly(
                PairwiseOutcome.TIE, PairwiseOutcome.LOSS, PairwiseOutcome.TIE,
                PairwiseOutcome.FAILED);
        assertThat(comparisons.get(0)).isEqualTo(PairwiseComparison.of(Preferred.CANDIDATE,
                Preferred.BASELINE));
        assertThat(comparisons.get(3).failure()).isNotBlank();
        WinRate rate = new WinRate();
        comparisons.forEach(c -> rate.add(c.outcome()));
        assertThat(rate.n()).isEqualTo(3);
        assertThat(rate.failed()).isEqualTo(1);
        assertThat(rate.rate()).isEqualTo((0 + 2 / 2.0) / 3);
    }
}
