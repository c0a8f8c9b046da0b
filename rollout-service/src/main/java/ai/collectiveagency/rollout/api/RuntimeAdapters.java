package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.checkpoint.VerifiedFolder;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.PeftAdapterConfig;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.rollout.checkpoint.CheckpointConfig;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.selfplay.ModelName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LoRA adapters loaded at run time ({@code rollout.api.runtime-lora}), by name, as vLLM's
 * {@code /v1/load_lora_adapter} does. Each adapter is verified as an adopted checkpoint is: its
 * folder lies inside {@code rollout.checkpoints.store-root} (real path, symlinks resolved), its
 * {@code manifest.json} lists every file (sizes and contents hashed as they load:
 * {@link VerifiedFolder}; no signed record gives the manifest's digest, so it is the file's
 * own), it is a PEFT LoRA adapter whose {@code base_model_name_or_path} is one of the base
 * model's names, and a {@code base_model_sha256} recorded beside it ({@code trainer-state.json})
 * is the base's identity. Loading runs on the caller's thread, never the policy worker.
 *
 * <p>At most {@code rollout.api.max-loras} are held; loading one more evicts and closes the
 * least recently used that no queued or running job holds ({@link Lease}). Thread-safe.
 */
@ApplicationScoped
public class RuntimeAdapters {

    private static final System.Logger LOG = System.getLogger(RuntimeAdapters.class.getName());
    static final String STORE_ROOT = "rollout.checkpoints.store-root";
    private static final String TRAINER_STATE = "trainer-state.json";

    private final ApiConfig config;
    private final CheckpointConfig checkpoints;
    private final RolloutConfig rollout;
    private final PolicyRunner runner;
    private final ObjectMapper mapper;
    // Access order: the first entry is the least recently used.
    private final LinkedHashMap<String, Loaded> adapters = new LinkedHashMap<>(16, 0.75f, true);
    private Path root;
    private final Object identityLock = new Object();
    private String baseSha256; // guarded by identityLock

    RuntimeAdapters(ApiConfig config, CheckpointConfig checkpoints, RolloutConfig rollout,
            PolicyRunner runner, ObjectMapper mapper) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.rollout = rollout;
        this.runner = runner;
        this.mapper = mapper;
    }

    /** One loaded adapter, and how many jobs hold it. */
    static final class Loaded {
        final String name;
        final Path path;
        final LoraAdapter adapter;
        final Llama model;
        final long created = Instant.now().getEpochSecond();
        int holders;
        boolean removed;

        Loaded(String name, Path path, LoraAdapter adapter, Llama model) {
            this.name = name;
            this.path = path;
            this.adapter = adapter;
            this.model = model;
        }
    }

    /** What {@code /v1/models} lists of an adapter. */
    record Listed(String name, String path, long created) {
    }

    /**
     * A job's hold on an adapter: it is not evicted or closed until the job ran or left its
     * lane. {@link #NONE} holds nothing (the served policy as it is).
     */
    static final class Lease {
        static final Lease NONE = new Lease(null, null);
        private static final int WAITING = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;

        private final RuntimeAdapters owner;
        private final Loaded loaded;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        private Lease(RuntimeAdapters owner, Loaded loaded) {
            this.owner = owner;
            this.loaded = loaded;
        }

        /** The adapter, null for {@link #NONE}. */
        LoraAdapter adapter() {
            return loaded == null ? null : loaded.adapter;
        }

        /** The model the adapter was loaded for. */
        Llama model() {
            return loaded == null ? null : loaded.model;
        }

        /** The worker takes the job: false when it was given up already. */
        boolean begin() {
            return loaded == null || state.compareAndSet(WAITING, RUNNING);
        }

        /** The job ran, or never will: the hold ends (once). */
        void end() {
            if (loaded != null && state.getAndSet(DONE) != DONE) {
                owner.release(loaded);
            }
        }

        /** The job left its lane before it ran: the hold ends; a running job keeps it. */
        void abandon() {
            if (loaded != null && state.compareAndSet(WAITING, DONE)) {
                owner.release(loaded);
            }
        }
    }

    /** Stops start-up, naming the key, when runtime LoRA is on without a usable store root. */
    void requireValid() {
        if (!config.runtimeLora()) {
            return;
        }
        if (rollout.generation() == RolloutConfig.Generation.REMOTE) {
            throw new IllegalArgumentException("invalid configuration:\n  rollout.api.runtime-lora"
                    + "=true serves adapters from this process's model, but"
                    + " rollout.generation=remote loads no weights here: use one or the other");
        }
        Path configured = checkpoints.storeRoot().orElseThrow(() -> new IllegalArgumentException(
                "invalid configuration:\n  rollout.api.runtime-lora=true needs " + STORE_ROOT
                        + " (env ROLLOUT_CHECKPOINTS_STORE_ROOT): the directory adapters are"
                        + " loaded from"));
        try {
            root = configured.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid configuration:\n  " + STORE_ROOT + ": "
                    + configured + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("invalid configuration:\n  " + STORE_ROOT + ": "
                    + configured + " is not a directory");
        }
        LOG.log(System.Logger.Level.INFO, "runtime LoRA on: adapters are loaded from " + root
                + ", at most " + config.maxLoras() + " at once");
    }

    /**
     * Verifies and loads the adapter at {@code path} (relative to the store root, or absolute
     * inside it) under {@code name}, evicting the least recently used one if all slots are
     * taken. Blocking: call it off the event loop and off the policy worker.
     *
     * @throws ApiException 400 for a bad name or path, a folder that does not verify or an
     *     adapter of another base; 429 when every slot is held by a job
     */
    void load(String name, String path) {
        String served = runner.current().modelName();
        if (name == null || name.isBlank() || name.length() > 256) {
            throw ApiException.invalid("lora_name", "lora_name must be a non-empty name of at "
                    + "most 256 characters");
        }
        if (name.equals(served)) {
            throw ApiException.invalid("lora_name", "lora_name '" + name + "' is the base "
                    + "model's name");
        }
        synchronized (this) {
            if (adapters.containsKey(name)) {
                throw ApiException.invalid("lora_name", "The lora adapter '" + name
                        + "' has already been loaded.");
            }
        }
        Path folder = confined(path);
        Llama model = runner.current().policy().model();
        LoraAdapter adapter = verifiedAdapter(folder, model);
        List<Loaded> evicted = new ArrayList<>();
        synchronized (this) {
            if (adapters.containsKey(name)) {
                adapter.close();
                throw ApiException.invalid("lora_name", "The lora adapter '" + name
                        + "' has already been loaded.");
            }
            while (adapters.size() >= config.maxLoras()) {
                Loaded idle = adapters.values().stream().filter(l -> l.holders == 0)
                        .findFirst().orElse(null);
                if (idle == null) {
                    adapter.close();
                    throw new ApiException(429, "requests", "All " + config.maxLoras()
                            + " LoRA adapter slots (rollout.api.max-loras) are in use by queued"
                            + " or running requests; retry later or unload one", null,
                            "rate_limit_exceeded");
                }
                adapters.remove(idle.name);
                idle.removed = true;
                evicted.add(idle);
            }
            adapters.put(name, new Loaded(name, folder, adapter, model));
        }
        for (Loaded idle : evicted) {
            LOG.log(System.Logger.Level.INFO, "evicted LoRA adapter '" + idle.name
                    + "' (least recently used)");
            idle.adapter.close();
        }
        LOG.log(System.Logger.Level.INFO, "loaded LoRA adapter '" + name + "' from " + folder);
    }

    /**
     * Removes {@code name}; it is closed once no job holds it.
     *
     * @throws ApiException 404 when no adapter has that name
     */
    void unload(String name) {
        Loaded loaded;
        synchronized (this) {
            loaded = name == null ? null : adapters.remove(name);
            if (loaded == null) {
                throw notFound(name);
            }
            loaded.removed = true;
            if (loaded.holders > 0) {
                return; // the last job to let go closes it
            }
        }
        loaded.adapter.close();
        LOG.log(System.Logger.Level.INFO, "unloaded LoRA adapter '" + name + "'");
    }

    /** Whether {@code name} is a loaded adapter. */
    synchronized boolean has(String name) {
        return adapters.containsKey(name);
    }

    /** A hold on the adapter {@code name} for one job (it becomes the most recently used). */
    synchronized Lease lease(String name) {
        if (name == null) {
            return Lease.NONE;
        }
        Loaded loaded = adapters.get(name);
        if (loaded == null) {
            throw ApiException.modelNotFound(name, runner.current().modelName());
        }
        loaded.holders++;
        return new Lease(this, loaded);
    }

    /** The loaded adapters, least recently used first. */
    synchronized List<Listed> list() {
        return adapters.values().stream()
                .map(l -> new Listed(l.name, l.path.toString(), l.created)).toList();
    }

    private void release(Loaded loaded) {
        synchronized (this) {
            loaded.holders--;
            if (!loaded.removed || loaded.holders > 0) {
                return;
            }
        }
        loaded.adapter.close();
    }

    /** The folder {@code path} names, which must lie strictly inside the store root. */
    private Path confined(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.invalid("lora_path", "lora_path must name an adapter folder "
                    + "inside " + STORE_ROOT);
        }
        Path given;
        try {
            given = Path.of(path);
        } catch (InvalidPathException e) {
            throw ApiException.invalid("lora_path", "lora_path is not a valid path");
        }
        for (Path part : given) {
            if (part.toString().equals("..")) {
                throw ApiException.invalid("lora_path", "lora_path must not contain '..'");
            }
        }
        Path resolved = given.isAbsolute() ? given : root.resolve(given);
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (IOException e) {
            throw ApiException.invalid("lora_path", "lora_path " + path + " does not exist");
        }
        if (!real.startsWith(root) || real.equals(root)) {
            throw ApiException.invalid("lora_path", "lora_path " + path + " is not inside "
                    + STORE_ROOT + " (" + root + "), after resolving links");
        }
        if (!Files.isDirectory(real)) {
            throw ApiException.invalid("lora_path", "lora_path " + path + " is not a folder");
        }
        return real;
    }

    /** The adapter in {@code folder}, checked against its manifest and the base model. */
    private LoraAdapter verifiedAdapter(Path folder, Llama model) {
        VerifiedFolder verified;
        PeftAdapterConfig peft;
        try {
            verified = VerifiedFolder.open(folder, null, root);
            if (!verified.has(PeftAdapterConfig.FILE)) {
                throw ApiException.invalid("lora_path", "lora_path " + folder + " has no "
                        + PeftAdapterConfig.FILE + ": not a PEFT LoRA adapter");
            }
            peft = PeftAdapterConfig.parse(verified.readAll(PeftAdapterConfig.FILE),
                    folder.resolve(PeftAdapterConfig.FILE));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw refused(folder, e);
        }
        Set<String> names = new TreeSet<>(List.of(ModelName.of(rollout.model()),
                runner.current().modelName()));
        if (!names.contains(peft.baseModelNameOrPath())) {
            throw ApiException.invalid("lora_path", "the adapter in " + folder + " is for base "
                    + "model '" + peft.baseModelNameOrPath() + "', but this server serves "
                    + names);
        }
        String recorded = recordedBaseSha256(verified);
        if (recorded != null && !recorded.equals(baseSha256())) {
            throw ApiException.invalid("lora_path", "the adapter in " + folder + " was made on"
                    + " a base model with sha256 " + recorded + ", but this server's base has "
                    + baseSha256());
        }
        try {
            return PeftAdapterFiles.load(verified, model);
        } catch (RuntimeException e) {
            throw refused(folder, e);
        }
    }

    /** {@code base_model_sha256} of a {@code trainer-state.json} the manifest lists, or null. */
    private String recordedBaseSha256(VerifiedFolder folder) {
        if (!folder.has(TRAINER_STATE)) {
            return null;
        }
        try {
            JsonNode state = mapper.readTree(folder.readAll(TRAINER_STATE));
            JsonNode sha = state.path("base_model_sha256");
            return sha.isTextual() ? sha.asText() : null;
        } catch (IOException | RuntimeException e) {
            throw refused(folder.path(), e);
        }
    }

    /**
     * The base's identity, a pass over its weights: once, when first needed, under a lock of its
     * own, never this object's, which the HTTP event loop takes for every request.
     */
    private String baseSha256() {
        synchronized (identityLock) {
            if (baseSha256 == null) {
                baseSha256 = BaseModelIdentity.sha256(rollout.model());
            }
            return baseSha256;
        }
    }

    private static ApiException refused(Path folder, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return ApiException.invalid("lora_path", "the adapter in " + folder
                + " does not verify or load: " + why);
    }

    private static ApiException notFound(String name) {
        return new ApiException(404, "invalid_request_error", "The lora adapter '" + name
                + "' cannot be found.", "lora_name", "model_not_found");
    }
}
