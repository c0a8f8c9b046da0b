package ai.collectiveagency.rollout.remote;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which model the engines sample each policy version from, and the adapters they hold.
 * Version 0 is the base model, under its name on the engines. An adopted LORA checkpoint of
 * version N becomes the adapter {@code policy-v<N>}, loaded on every engine with vLLM's runtime
 * LoRA loading ({@code POST /v1/load_lora_adapter} with the folder's path in the shared store),
 * and on an engine that appears later (or lost it) before its first request for it.
 *
 * <p>A rollout batch {@linkplain #lease leases} its version's model for as long as it samples, so
 * its requests all go to one version; an adapter that is no longer the newest is unloaded from
 * every engine once its last lease is closed.
 */
public final class EngineAdapters {

    private static final System.Logger LOG = System.getLogger(EngineAdapters.class.getName());
    static final String LOAD_PATH = "v1/load_lora_adapter";
    static final String UNLOAD_PATH = "v1/unload_lora_adapter";

    private final String baseModel;
    private final EngineFleet fleet;
    private final EngineHttp http;
    private final Map<String, Path> folders = new HashMap<>(); // adapter name -> folder
    private final Map<String, Integer> leases = new HashMap<>();
    private String current;

    EngineAdapters(String baseModel, EngineFleet fleet, EngineHttp http) {
        this.baseModel = baseModel;
        this.fleet = fleet;
        this.http = http;
        this.current = baseModel;
    }

    /** The adapter name of policy version {@code version}. */
    static String adapterName(long version) {
        return "policy-v" + version;
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
        String model = version == 0 ? baseModel : adapterName(version);
        if (version != 0 && !folders.containsKey(model)) {
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
     * @throws RemoteEngineException when no engine loaded it
     */
    void load(long version, Path folder) {
        String name = adapterName(version);
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        synchronized (this) {
            folders.put(name, folder);
        }
        for (Engine engine : fleet.engines()) {
            try {
                loadOn(engine, name, folder);
                loaded++;
            } catch (EngineCallException e) {
                failures.add(e.getMessage());
            }
        }
        if (loaded == 0) {
            synchronized (this) {
                if (!name.equals(current) && !leases.containsKey(name)) {
                    folders.remove(name);
                }
            }
            throw new RemoteEngineException("no engine loaded adapter " + name + " from "
                    + folder + ": " + String.join("; ", failures));
        }
        if (!failures.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "adapter " + name + " loaded on " + loaded
                    + " engine(s); the others get it before their next request: " + failures);
        }
    }

    /**
     * Makes {@code version} (loaded, or 0) the current model; the previous adapter is unloaded
     * from the engines once no lease holds it.
     */
    void serve(long version) {
        String name = version == 0 ? baseModel : adapterName(version);
        String previous;
        synchronized (this) {
            if (version != 0 && !folders.containsKey(name)) {
                throw new IllegalStateException("adapter " + name + " is not loaded");
            }
            previous = current;
            current = name;
        }
        if (!previous.equals(name)) {
            unloadIfUnused(previous);
        }
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
            // vLLM refuses a name it holds already (400 "... has already been loaded")
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

    private void unloadIfUnused(String model) {
        synchronized (this) {
            if (model.equals(current) || model.equals(baseModel) || leases.containsKey(model)
                    || folders.remove(model) == null) {
                return;
            }
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
