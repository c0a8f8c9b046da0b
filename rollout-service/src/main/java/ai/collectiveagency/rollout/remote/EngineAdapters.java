package ai.collectiveagency.rollout.remote;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which model the engines sample each policy version from, and the adapters they hold.
 * Version 0 is the base model, under its name on the engines. An adopted LORA checkpoint of
 * version N becomes the adapter {@code policy-v<N>-<12 hex digits of its manifest's sha256>},
 * loaded on every engine with vLLM's runtime LoRA loading ({@code POST /v1/load_lora_adapter}
 * with the folder's path in the shared store), and on an engine that appears later (or lost it)
 * before its first request for it. The digest is in the name because an engine outlives runs:
 * a {@code policy-v3} it still holds from an earlier run (versions start again at 1, in the same
 * store path) would otherwise be taken for this run's, and vLLM answers "already loaded".
 *
 * <p>A rollout batch {@linkplain #lease leases} its version's model for as long as it samples, so
 * its requests all go to one version. The engines keep the served adapter and the
 * {@value #KEEP_PREVIOUS} served before it (other replicas of the fleet may still sample them
 * for a moment: they adopt a version a second or two apart); an older one is unloaded from
 * every engine once no lease of this replica holds it.
 */
public final class EngineAdapters {

    private static final System.Logger LOG = System.getLogger(EngineAdapters.class.getName());
    static final String LOAD_PATH = "v1/load_lora_adapter";
    static final String UNLOAD_PATH = "v1/unload_lora_adapter";
    /** Adapters served before the current one that stay loaded. */
    static final int KEEP_PREVIOUS = 2;

    private final String baseModel;
    private final EngineFleet fleet;
    private final EngineHttp http;
    private final Map<String, Path> folders = new HashMap<>(); // adapter name -> folder
    private final Map<Long, String> names = new HashMap<>(); // version -> adapter name
    private final Map<String, Integer> leases = new HashMap<>();
    private final Deque<String> served = new ArrayDeque<>(); // the current first
    private String current;

    EngineAdapters(String baseModel, EngineFleet fleet, EngineHttp http) {
        this.baseModel = baseModel;
        this.fleet = fleet;
        this.http = http;
        this.current = baseModel;
    }

    /** The adapter name of policy version {@code version} whose manifest has that digest. */
    static String adapterName(long version, String manifestSha256) {
        String digest = manifestSha256 == null ? "" : manifestSha256.strip();
        return "policy-v" + version + (digest.length() < 12 ? "" : "-" + digest.substring(0, 12));
    }

    /** The model the engines sample the newest adopted version from. */
    synchronized String current() {
        return current;
    }

    synchronized boolean isAdapter(String model) {
        return folders.containsKey(model);
    }

    /**
     * The model of {@code version} (the base for 0), held until the lease is closed.
     *
     * @throws IllegalStateException when that version's adapter is not loaded here
     */
    synchronized Lease lease(long version) {
        String model = version == 0 ? baseModel : names.get(version);
        if (model == null || (version != 0 && !folders.containsKey(model))) {
            throw new IllegalStateException("policy version " + version + " has no adapter on"
                    + " the engines (loaded: " + folders.keySet() + ")");
        }
        leases.merge(model, 1, Integer::sum);
        return new Lease(model);
    }

    /**
     * Loads the adapter of {@code version} from {@code folder} (a path the engines see the same
     * way: the shared store) on every engine; {@link #serve} then makes it the current model.
     *
     * @param manifestSha256 the digest of the folder's manifest, as its signed record names it
     * @throws RemoteEngineException when no engine loaded it
     * @throws EngineUnavailableException when no engine answered at all
     */
    void load(long version, Path folder, String manifestSha256) {
        String name = adapterName(version, manifestSha256);
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        boolean answered = false;
        synchronized (this) {
            folders.put(name, folder);
        }
        for (Engine engine : fleet.engines()) {
            try {
                loadOn(engine, name, folder);
                loaded++;
            } catch (EngineCallException e) {
                failures.add(e.getMessage());
                answered |= e.status() != EngineCallException.NO_STATUS;
            }
        }
        if (loaded == 0) {
            synchronized (this) {
                if (!served.contains(name) && !leases.containsKey(name)) {
                    folders.remove(name);
                }
            }
            String message = "no engine loaded adapter " + name + " from " + folder + ": "
                    + String.join("; ", failures);
            if (!answered) {
                throw new EngineUnavailableException(message, null);
            }
            throw new RemoteEngineException(message);
        }
        synchronized (this) {
            names.put(version, name);
        }
        if (!failures.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "adapter " + name + " loaded on " + loaded
                    + " engine(s); the others get it before their next request: " + failures);
        }
    }

    /**
     * Makes {@code version} (loaded, or 0) the current model. Adapters served more than
     * {@value #KEEP_PREVIOUS} versions ago are unloaded from the engines once no lease holds
     * them. Call it where no batch can start in between (the policy worker's swap), so that a
     * batch of the new version always finds its adapter.
     */
    void serve(long version) {
        List<String> retired = new ArrayList<>();
        synchronized (this) {
            String name = version == 0 ? baseModel : names.get(version);
            if (name == null || (version != 0 && !folders.containsKey(name))) {
                throw new IllegalStateException("policy version " + version
                        + " has no adapter loaded");
            }
            current = name;
            served.remove(name);
            served.addFirst(name);
            while (served.size() > KEEP_PREVIOUS + 1) {
                retired.add(served.removeLast());
            }
        }
        retired.forEach(this::unloadIfUnused);
    }

    /** Loads {@code model} on {@code engine} unless it is the base or already there. */
    void ensureLoaded(Engine engine, String model) {
        Path folder;
        synchronized (this) {
            folder = folders.get(model);
        }
        if (folder == null || engine.holds(model)) {
            return;
        }
        synchronized (engine) { // one load per engine at a time, not one per waiting request
            if (!engine.holds(model)) {
                loadOn(engine, model, folder);
            }
        }
    }

    private void loadOn(Engine engine, String name, Path folder) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lora_name", name);
        body.put("lora_path", folder.toString());
        try {
            http.post(engine, LOAD_PATH, body);
        } catch (EngineCallException e) {
            // vLLM refuses a name it holds already (400 "... has already been loaded"): another
            // replica loaded it, and the digest in the name says it is these very files.
            if (e.status() != 400 || !e.getMessage().contains("already")) {
                throw e;
            }
        }
        engine.loaded(name);
        LOG.log(System.Logger.Level.INFO, "engine " + engine + " loaded adapter " + name
                + " from " + folder);
    }

    private void release(String model) {
        boolean unused;
        synchronized (this) {
            int left = leases.merge(model, -1, Integer::sum);
            if (left <= 0) {
                leases.remove(model);
            }
            unused = left <= 0;
        }
        if (unused) {
            unloadIfUnused(model);
        }
    }

    /** Unloads an adapter that is neither kept (served lately) nor leased. */
    private void unloadIfUnused(String model) {
        synchronized (this) {
            if (model.equals(baseModel) || served.contains(model) || leases.containsKey(model)
                    || folders.remove(model) == null) {
                return;
            }
            names.values().remove(model);
        }
        for (Engine engine : fleet.engines()) {
            if (!engine.holds(model)) {
                continue;
            }
            engine.forget(model);
            try {
                http.post(engine, UNLOAD_PATH, Map.of("lora_name", model));
                LOG.log(System.Logger.Level.INFO, "engine " + engine + " unloaded adapter "
                        + model);
            } catch (EngineCallException e) {
                LOG.log(System.Logger.Level.WARNING, "unloading adapter " + model + " from "
                        + engine + " failed (it stays until the engine restarts): "
                        + e.getMessage());
            }
        }
    }

    /** A batch's hold on one model; closing it may unload an adapter no longer served. */
    public final class Lease implements AutoCloseable {

        private final String model;
        private boolean closed;

        private Lease(String model) {
            this.model = model;
        }

        /** The name the batch's requests carry. */
        public String model() {
            return model;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(model);
            }
        }
    }
}
