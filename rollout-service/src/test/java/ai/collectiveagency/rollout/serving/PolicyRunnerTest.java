package ai.collectiveagency.rollout.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.rollout.serving.PolicyRunner.Lane;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy worker's share: rollout and API jobs in turn while both wait, swaps first, a full
 * lane refusing more, and a job cancelled before it starts never running.
 */
class PolicyRunnerTest {

    private PolicyRunner runner;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> order = new CopyOnWriteArrayList<>();

    @BeforeEach
    void holdTheWorker() {
        runner = new PolicyRunner(new ServedPolicy(Policy.load(TestTasks.MODEL), 0, "tiny"));
        runner.submit(p -> await(release));
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        runner.close();
    }

    @Test
    void theLanesTakeTurnsWhileBothWait() {
        List<CompletableFuture<?>> jobs = List.of(job(Lane.ROLLOUT, "r1"), job(Lane.ROLLOUT, "r2"),
                job(Lane.ROLLOUT, "r3"), job(Lane.API, "a1"), job(Lane.API, "a2"),
                job(Lane.API, "a3"), job(Lane.API, "a4"));

        release.countDown();
        CompletableFuture.allOf(jobs.toArray(CompletableFuture[]::new)).join();

        // The held job was a rollout job, so the API lane goes next.
        assertThat(order).containsExactly("a1", "r1", "a2", "r2", "a3", "r3", "a4");
    }

    @Test
    void aSwapComesBeforeEveryWaitingJob() {
        CompletableFuture<?> rollout = job(Lane.ROLLOUT, "r1");
        CompletableFuture<?> api = job(Lane.API, "a1");
        CompletableFuture<ServedPolicy> swap = runner.swap(old -> {
            order.add("swap");
            return new ServedPolicy(old.policy(), 1, old.modelName());
        });

        release.countDown();
        CompletableFuture.allOf(rollout, api, swap).join();

        assertThat(order).containsExactly("swap", "a1", "r1");
        assertThat(runner.current().version()).isEqualTo(1);
    }

    @Test
    void aFullLaneRefusesMoreAndAnotherLaneIsNotAffected() {
        assertThat(runner.trySubmit(Lane.API, p -> "a1", 2)).isPresent();
        assertThat(runner.trySubmit(Lane.API, p -> "a2", 2)).isPresent();

        assertThat(runner.trySubmit(Lane.API, p -> "a3", 2)).isEmpty();
        assertThat(runner.trySubmit(Lane.ROLLOUT, p -> "r1", 2)).isPresent();
        assertThat(runner.waiting(Lane.API)).isEqualTo(2);
    }

    @Test
    void aJobCancelledWhileItWaitsLeavesItsLaneAndNeverRuns() throws Exception {
        CompletableFuture<?> cancelled = job(Lane.API, "cancelled");
        CompletableFuture<?> next = job(Lane.API, "next");

        cancelled.cancel(false);
        assertThat(runner.waiting(Lane.API)).isEqualTo(1);
        release.countDown();
        next.get(60, TimeUnit.SECONDS);

        assertThat(order).containsExactly("next");
    }

    private CompletableFuture<?> job(Lane lane, String name) {
        return runner.submit(lane, p -> order.add(name));
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
