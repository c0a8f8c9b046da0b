package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gpu overlay's vLLM engine, as the rollout-service drives it remotely: the base model the
 * fleet names, runtime LoRA loading from the store at the fleet's path, processed log-probs, a
 * GPU, a headless Service the fleet's URLs name; and no engine in any other overlay.
 */
class VllmEngineTest {

    private static final String ENGINE = "vllm-engine";
    private static final String GPU = "nvidia.com/gpu";
    private static final String STORE_CLAIM = "checkpoints";
    /** The vLLM release that has every flag the engine is given (--logprobs-mode among them). */
    private static final List<Integer> OLDEST_RELEASE = List.of(0, 11, 0);
    /** vLLM's choices for --max-lora-rank. */
    private static final List<Integer> LORA_RANKS = List.of(1, 8, 16, 32, 64, 128, 256, 320,
            512);

    private final Manifest gpu = Manifest.overlay("gpu");

    @Test
    void theEngineIsTheOfficialImagePinnedToAReleaseThatHasItsFlags() {
        String image = engine().getImage();
        Matcher release = Pattern.compile("vllm/vllm-openai:v(\\d+)\\.(\\d+)\\.(\\d+)")
                .matcher(image);
        assertThat(release.matches()).as("image " + image + " pinned to a vX.Y.Z release tag")
                .isTrue();
        List<Integer> version = List.of(Integer.parseInt(release.group(1)),
                Integer.parseInt(release.group(2)), Integer.parseInt(release.group(3)));
        assertThat(compare(version, OLDEST_RELEASE)).as("image " + image + " at least v0.11.0")
                .isGreaterThanOrEqualTo(0);
        assertThat(engine().getCommand()).as("command").containsExactly("vllm", "serve");
    }

    @Test
    void theEngineServesTheFleetsBaseModelUnderTheNameTheFleetAsksFor() {
        Workload rollout = Workload.of(gpu, "rollout-service");
        String model = rollout.setting("rollout.model");
        List<String> args = engine().getArgs();
        // `vllm serve` takes the model as its first, positional argument and refuses --model.
        assertThat(args).as("args").isNotEmpty().doesNotContain("--model");
        assertThat(args.get(0)).as("the engine's model folder").isEqualTo(model);
        assertThat(flag("--served-model-name")).as("--served-model-name")
                .isEqualTo(rollout.setting("rollout.model-name",
                        Path.of(model).getFileName().toString()));
        assertThat(engine().getVolumeMounts()).as("the models volume at the fleet's /models")
                .anySatisfy(m -> {
                    assertThat(model).startsWith(m.getMountPath() + "/");
                    assertThat(m.getReadOnly()).isTrue();
                });
    }

    @Test
    void adaptersLoadAtRunTimeUpToTheTrainersRank() {
        int trainerRank = Integer.parseInt(Workload.of(gpu, "trainer-service")
                .setting("trainer.lora.rank"));
        assertThat(engine().getArgs()).as("args").contains("--enable-lora");
        int maxRank = Integer.parseInt(flag("--max-lora-rank"));
        assertThat(maxRank).as("--max-lora-rank").isIn(LORA_RANKS)
                .isGreaterThanOrEqualTo(trainerRank)
                .isGreaterThanOrEqualTo(Integer.parseInt(Workload.of(gpu, "trainer-service")
                        .properties().get("trainer.lora.rank")));
        assertThat(Integer.parseInt(flag("--max-loras"))).as("--max-loras: the served version"
                + " and the one being adopted").isGreaterThanOrEqualTo(2);
        assertThat(literalEnv(engine())).as("env")
                .containsEntry("VLLM_ALLOW_RUNTIME_LORA_UPDATING", "True");
    }

    @Test
    void logProbsAreTheProcessedOnesAndTheModelsDefaultsDoNotApply() {
        assertThat(flag("--logprobs-mode")).isEqualTo("processed_logprobs");
        assertThat(flag("--generation-config")).isEqualTo("vllm");
        assertThat(flag("--port")).isEqualTo("8000");
    }

    @Test
    void theFleetSamplesAtTopPOneSoProcessedLogProbsAreTheTrainers() {
        Workload rollout = Workload.of(gpu, "rollout-service");
        for (String part : List.of("dialogue", "resolution", "answer")) {
            assertThat(Double.parseDouble(rollout.setting("rollout." + part + ".top-p")))
                    .as(part + " top-p").isEqualTo(1.0);
        }
    }

    @Test
    void theEngineReadsTheStoreReadOnlyAtTheFleetsAndTheTrainersPath() {
        String storeRoot = Workload.of(gpu, "rollout-service")
                .setting("rollout.checkpoints.store-root");
        assertThat(Workload.of(gpu, "trainer-service").setting("trainer.store"))
                .as("the trainer's store").isEqualTo(storeRoot);
        String volume = pod().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null
                        && STORE_CLAIM.equals(v.getPersistentVolumeClaim().getClaimName()))
                .map(Volume::getName).findFirst()
                .orElseThrow(() -> new AssertionError("the engine has no volume of the claim "
                        + STORE_CLAIM));
        List<VolumeMount> mounts = engine().getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume)).toList();
        assertThat(mounts).as("mounts of the store").singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).as("mount path").isEqualTo(storeRoot);
            assertThat(m.getReadOnly()).as("read-only").isTrue();
            assertThat(m.getSubPath()).as("the whole store").isNull();
        });
    }

    @Test
    void theEngineHasAGpuSharedMemoryAndHealthProbes() {
        Container engine = engine();
        assertThat(engine.getResources().getRequests()).as("requests")
                .containsEntry(GPU, new Quantity("1")).containsKeys("cpu", "memory");
        assertThat(engine.getResources().getLimits()).as("limits")
                .containsEntry(GPU, new Quantity("1")).containsKey("memory");
        assertThat(Optional.ofNullable(pod().getTolerations()).orElse(List.of()))
                .as("tolerates the GPU nodes' taint").anyMatch(t -> GPU.equals(t.getKey()));
        String shm = engine.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/dev/shm")).map(VolumeMount::getName)
                .findFirst().orElseThrow(() -> new AssertionError("no /dev/shm mount"));
        assertThat(pod().getVolumes()).as("/dev/shm volume").anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo(shm);
            assertThat(v.getEmptyDir()).isNotNull();
            assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
        });
        for (Probe probe : List.of(engine.getStartupProbe(), engine.getLivenessProbe(),
                engine.getReadinessProbe())) {
            assertThat(probe).as("probe").isNotNull();
            assertThat(probe.getHttpGet().getPath()).as("probe path").isEqualTo("/health");
            assertThat(probe.getHttpGet().getPort().getStrVal()).as("probe port").isEqualTo(
                    "http");
        }
        assertThat(engine.getPorts()).as("ports").singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8000);
        });
        // Model load, compilation and CUDA graphs: minutes before liveness may restart it.
        Probe startup = engine.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
                .as("startup allowance in seconds").isGreaterThanOrEqualTo(600);
    }

    @Test
    void theEngineRunsWithNothingItDoesNotNeed() {
        PodSpec pod = pod();
        assertThat(pod.getAutomountServiceAccountToken()).as("pod token").isFalse();
        assertThat(gpu.find(ServiceAccount.class, pod.getServiceAccountName()))
                .as("its ServiceAccount").hasValueSatisfying(sa -> assertThat(
                        sa.getAutomountServiceAccountToken()).as("token").isFalse());
        assertThat(pod.getEnableServiceLinks()).as("enableServiceLinks").isFalse();
        for (Container container : allContainers(pod)) {
            String what = "container " + container.getName();
            var security = container.getSecurityContext();
            assertThat(security).as(what + " securityContext").isNotNull();
            assertThat(Optional.ofNullable(security.getRunAsNonRoot())
                    .orElse(pod.getSecurityContext().getRunAsNonRoot())).as(what + " non-root")
                    .isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(what + " escalation")
                    .isFalse();
            assertThat(security.getReadOnlyRootFilesystem()).as(what + " read-only root")
                    .isTrue();
            assertThat(security.getCapabilities().getDrop()).as(what + " drops").contains("ALL");
            assertThat(Optional.ofNullable(security.getCapabilities().getAdd())
                    .orElse(List.of())).as(what + " adds").isEmpty();
            assertThat(container.getResources().getRequests()).as(what + " requests")
                    .containsKeys("cpu", "memory");
        }
    }

    @Test
    void theEngineAndTheFleetShareTheKeyFromASecret() {
        SecretKeySelector engineKey = secretOf(engine(), "VLLM_API_KEY");
        SecretKeySelector fleetKey = secretOf(Workload.of(gpu, "rollout-service")
                .mainContainer(), "ROLLOUT_REMOTE_API_KEY");
        assertThat(fleetKey).as("the fleet's key is the engine's").isEqualTo(engineKey);
        assertThat(engine().getArgs()).as("no key on the command line")
                .doesNotContain("--api-key");
    }

    @Test
    void theFleetGeneratesRemotelyOnEveryEngineThroughTheHeadlessService() {
        Workload rollout = Workload.of(gpu, "rollout-service");
        assertThat(rollout.setting("rollout.generation")).isEqualTo("remote");
        List<URI> urls = Arrays.stream(rollout.setting("rollout.remote.urls").split(","))
                .map(String::trim).map(URI::create).toList();
        assertThat(urls).as("rollout.remote.urls").isNotEmpty().allSatisfy(url -> {
            assertThat(url.getScheme()).isEqualTo("http");
            assertThat(url.getPort()).isEqualTo(8000);
            Service service = gpu.find(Service.class, url.getHost()).orElseThrow(
                    () -> new AssertionError(url + " names no Service of the overlay"));
            assertThat(service.getSpec().getClusterIP()).as(url.getHost()
                    + " is headless: its name resolves to every engine pod").isEqualTo("None");
            Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata()
                    .getLabels();
            assertThat(podLabels).as(url.getHost() + " selects the engine's pods")
                    .containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts()).as(url.getHost() + " ports")
                    .anyMatch(p -> p.getPort() == 8000);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "local", "production"})
    void noOtherOverlayHasAnEngine(String name) {
        Manifest manifest = name.equals("base") ? Manifest.base() : Manifest.overlay(name);
        assertThat(manifest.find(Deployment.class, ENGINE)).as(name + " engine Deployment")
                .isEmpty();
        assertThat(manifest.find(Service.class, ENGINE)).as(name + " engine Service").isEmpty();
        assertThat(manifest.all(Deployment.class)).as(name + " images")
                .allSatisfy(d -> assertThat(allContainers(d.getSpec().getTemplate().getSpec()))
                        .noneMatch(c -> c.getImage().startsWith("vllm/")));
        if (!name.equals("base")) {
            assertThat(Workload.of(manifest, "rollout-service").setting("rollout.generation",
                    "local")).as(name + " rollout.generation").isEqualTo("local");
        }
    }

    private Deployment deployment() {
        return gpu.find(Deployment.class, ENGINE)
                .orElseThrow(() -> new AssertionError("gpu has no Deployment " + ENGINE));
    }

    private PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    private Container engine() {
        return pod().getContainers().stream().filter(c -> c.getName().equals(ENGINE))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + ENGINE));
    }

    /** The value after {@code name} in the engine's arguments; fails when it is not there. */
    private String flag(String name) {
        List<String> args = engine().getArgs();
        int at = args.indexOf(name);
        assertThat(at).as(name + " in the engine's args").isNotNegative()
                .isLessThan(args.size() - 1);
        return args.get(at + 1);
    }

    private static Map<String, String> literalEnv(Container container) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static SecretKeySelector secretOf(Container container, String variable) {
        EnvVar env = Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no "
                        + variable));
        assertThat(env.getValue()).as(variable + " has no literal value").isNull();
        assertThat(env.getValueFrom()).as(variable + " valueFrom").isNotNull();
        assertThat(env.getValueFrom().getSecretKeyRef()).as(variable + " from a Secret")
                .isNotNull();
        return env.getValueFrom().getSecretKeyRef();
    }

    private static List<Container> allContainers(PodSpec pod) {
        List<Container> all = new java.util.ArrayList<>(Optional.ofNullable(
                pod.getInitContainers()).orElse(List.of()));
        all.addAll(pod.getContainers());
        return all;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
