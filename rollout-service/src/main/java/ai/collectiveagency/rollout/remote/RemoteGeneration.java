package ai.collectiveagency.rollout.remote;

import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.selfplay.GenerationEngine;
import io.smallrye.faulttolerance.api.TypedGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Self-play's sampling calls on remote engines, for one model (the base, or the adapter of one
 * policy version): each sequence is one {@code /v1/completions} request with its own seed, all
 * sequences of a call in flight at once so that the engine batches them, each on the engine with
 * the fewest requests in flight. A failed request is tried again (SmallRye Fault Tolerance:
 * {@code rollout.remote.max-retries}, doubling delay), on whichever engine is least busy then; an
 * engine that no longer knows the adapter (it restarted) is sent it again first. When a request
 * fails for good, the call fails with {@link RemoteEngineException}, the others are abandoned.
 */
final class RemoteGeneration implements GenerationEngine {

    private final String model;
    private final EngineFleet fleet;
    private final EngineHttp http;
    private final EngineAdapters adapters;
    private final TypedGuard<Generation> guard;
    private final ExecutorService requests;
    private final Set<Integer> stopTokenIds;

    RemoteGeneration(String model, EngineFleet fleet, EngineHttp http, EngineAdapters adapters,
            TypedGuard<Generation> guard, ExecutorService requests, Set<Integer> stopTokenIds) {
        this.model = model;
        this.fleet = fleet;
        this.http = http;
        this.adapters = adapters;
        this.guard = guard;
        this.requests = requests;
        this.stopTokenIds = Set.copyOf(stopTokenIds);
    }

    /** The model name requests carry. */
    String model() {
        return model;
    }

    @Override
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds) {
        return generate(prompts, row -> params, seeds);
    }

    /** Each request asks for its row's own budget, so the engine samples no token to cut. */
    @Override
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, int[] maxTokens,
            long[] seeds) {
        if (maxTokens.length != prompts.size()) {
            throw new IllegalArgumentException(maxTokens.length + " budgets for "
                    + prompts.size() + " prompts");
        }
        return generate(prompts, row -> new SamplingParams(maxTokens[row], params.temperature(),
                params.topP(), params.topK(), params.seed()), seeds);
    }

    private List<Generation> generate(List<int[]> prompts, IntFunction<SamplingParams> paramsOf,
            long[] seeds) {
        if (seeds.length != prompts.size()) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + prompts.size()
                    + " prompts");
        }
        List<Future<Generation>> calls = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = prompts.get(i);
            SamplingParams params = paramsOf.apply(i);
            long seed = seeds[i];
            calls.add(requests.submit(() -> guarded(prompt, params, seed)));
        }
        List<Generation> generations = new ArrayList<>();
        try {
            for (Future<Generation> call : calls) {
                generations.add(call.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RemoteEngineException failed) {
                throw failed;
            }
            if (e.getCause() instanceof EngineUnavailableException unavailable) {
                throw unavailable;
            }
            throw new RemoteEngineException("remote generation failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteEngineException("remote generation interrupted", e);
        } finally {
            // The others of a failed call stop (their HTTP wait and retries are interrupted).
            calls.forEach(call -> call.cancel(true));
        }
        return generations;
    }

    private Generation guarded(int[] prompt, SamplingParams params, long seed) {
        try {
            return guard.call(() -> once(prompt, params, seed));
        } catch (EngineCallException e) {
            if (e.status() == EngineCallException.NO_STATUS && e.retryable()) {
                throw new EngineUnavailableException("no engine answered a request for model "
                        + model + " through its retries: " + e.getMessage(), e);
            }
            throw new RemoteEngineException("engine request for model " + model + " failed"
                    + (e.retryable() ? " after its retries" : "") + ": " + e.getMessage(), e);
        } catch (RemoteEngineException | EngineUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteEngineException("engine request for model " + model + " failed: "
                    + e, e);
        }
    }

    private Generation once(int[] prompt, SamplingParams params, long seed) {
        Engine engine = fleet.acquire();
        try {
            adapters.ensureLoaded(engine, model);
            return EngineCompletion.parse(engine, http.post(engine, EngineCompletion.PATH,
                    EngineCompletion.request(model, prompt, params, seed, stopTokenIds)));
        } catch (EngineCallException e) {
            if (e.retryable()) {
                // A dead or overloaded engine fails at once, so it always has the fewest
                // requests in flight: without a pause every retry would go back to it.
                engine.coolDown();
            }
            if (e.status() == 404 && adapters.isAdapter(model)) {
                // The engine lost the adapter (restarted, or evicted it): load it again, retry.
                engine.forget(model);
                throw new EngineCallException(e.getMessage() + " (the adapter is loaded again"
                        + " before the next attempt)", e.status(), true, e);
            }
            throw e;
        } finally {
            engine.finished();
        }
    }
}
