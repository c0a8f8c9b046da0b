package ai.collectiveagency.k8s.kafka;

import ai.collectiveagency.k8s.render.Workload;
import ai.collectiveagency.schemas.topics.Permission;
import ai.collectiveagency.schemas.topics.PipelineClient;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What a service's configuration, as deployed, makes it read and write: its channels' and
 * stages' topic and group keys, resolved the way the service resolves them. Independent of the
 * catalogue on purpose: the test compares the two, so a service reconfigured to another topic
 * or group shows up as an ACL it lacks.
 */
final class ConfiguredAccess {

    private ConfiguredAccess() {
    }

    static Set<Permission> of(Workload service, PipelineClient client) {
        Access access = new Access(client);
        switch (client) {
            case PROMPT_GENERATOR -> {
                access.write(service.setting("mp.messaging.outgoing.prompts.topic"));
                // The audit reads the topic in its group; the resume reads its tail, assigned.
                access.read(service.setting("mp.messaging.incoming.prompts-audit.topic"));
                access.readGroup(service.setting("mp.messaging.incoming.prompts-audit.group.id"));
                access.write(service.setting(
                        "mp.messaging.incoming.prompts-audit.dead-letter-queue.topic"));
                // Pacing: the rollout fleet's lag on prompts, the trainer's on scored.
                access.describeGroup(service.setting("prompts.pacing.group"));
                if (Long.parseLong(service.setting("prompts.pacing.trainer-max-lag")) > 0) {
                    access.describeTopic(service.setting("pipeline.topic-prefix") + "scored");
                    access.describeGroup(service.setting("prompts.pacing.trainer-group"));
                }
            }
            case ROLLOUT_SERVICE, REWARD_SERVICE -> {
                String stage = client == PipelineClient.ROLLOUT_SERVICE ? "rollout.stage."
                        : "reward.stage.";
                String group = service.setting(stage + "consumer-group");
                access.read(service.setting(stage + "input-topic"));
                access.readGroup(group);
                // Transactional ids <group>-<replica>.
                access.writeTransactionalIds(group + "-");
                access.write(service.setting(stage + "output-topic"));
                access.write(service.setting(stage + "dead-letter-topic"));
                if (client == PipelineClient.ROLLOUT_SERVICE) {
                    access.read(service.setting("rollout.checkpoints.topic"));
                    // FleetPinConfig's default: the key is usually not in the file.
                    access.read(service.setting("rollout.control.topic",
                            "${pipeline.topic-prefix}fleet-control"));
                }
            }
            case TRAINER_SERVICE -> {
                // TrainerConfig's defaults: the keys are usually not in the file.
                access.read(service.setting("trainer.topics.scored",
                        "${pipeline.topic-prefix}scored"));
                // Assigned, but it commits its progress there for lag readers.
                access.readGroup(service.setting("trainer.topics.progress-group",
                        "trainer-service"));
                access.write(service.setting("trainer.topics.scored-dead-letters",
                        "${pipeline.topic-prefix}scored.dlq"));
                access.write(service.setting("trainer.topics.checkpoints",
                        "${pipeline.topic-prefix}checkpoints"));
                access.write(service.setting("trainer.topics.metrics",
                        "${pipeline.topic-prefix}metrics"));
            }
            case EVALUATION_SERVICE -> {
                // Plain clients, not channels: a consumer of checkpoints in its group (it
                // commits how far it has evaluated), a producer of its win rates.
                access.read(service.setting("evaluation.checkpoints.topic"));
                access.readGroup(service.setting("evaluation.checkpoints.consumer-group"));
                access.write(service.setting("evaluation.metrics.topic"));
            }
            default -> throw new IllegalArgumentException("not a service: " + client);
        }
        return access.permissions;
    }

    private static final class Access {
        private final PipelineClient client;
        private final Set<Permission> permissions = new TreeSet<>();

        Access(PipelineClient client) {
            this.client = client;
        }

        void read(String topic) {
            permissions.add(new Permission(client, ResourceType.TOPIC, topic, AclOperation.READ));
        }

        void write(String topic) {
            permissions.add(new Permission(client, ResourceType.TOPIC, topic,
                    AclOperation.WRITE));
        }

        void describeTopic(String topic) {
            permissions.add(new Permission(client, ResourceType.TOPIC, topic,
                    AclOperation.DESCRIBE));
        }

        void readGroup(String group) {
            permissions.add(new Permission(client, ResourceType.GROUP, group,
                    AclOperation.READ));
        }

        void describeGroup(String group) {
            permissions.add(new Permission(client, ResourceType.GROUP, group,
                    AclOperation.DESCRIBE));
        }

        void writeTransactionalIds(String prefix) {
            permissions.add(new Permission(client, ResourceType.TRANSACTIONAL_ID, prefix,
                    AclOperation.WRITE, PatternType.PREFIXED));
        }
    }
}
