package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.topics.ClientPermissions;
import ai.collectiveagency.schemas.topics.Permission;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The ACLs of the pipeline's users, exactly those {@link ClientPermissions} derives from the
 * catalogue: literal topic and group names, any host, allow. Syncing adds the missing ones and
 * removes every other ACL of those users, so a permission the catalogue no longer grants is gone
 * after the next start. ACLs of other principals are left alone.
 */
public final class CatalogueAcls {

    private CatalogueAcls() {
    }

    /** The principal of {@code client}: {@code User:<name>}. */
    public static String principal(PipelineClient client) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, client.user()).toString();
    }

    /** The ACL bindings the catalogue grants. */
    public static Set<AclBinding> of(TopicCatalogue catalogue) {
        return ClientPermissions.of(catalogue).stream().map(CatalogueAcls::binding)
                .collect(Collectors.toSet());
    }

    /**
     * Makes the pipeline users' ACLs those of the catalogue, and returns once the broker
     * enforces them.
     *
     * <p>The broker's authorizer applies the controller's ACL changes a moment after they are
     * committed, so what it describes can lag behind: an ACL created just before this call may
     * only show up later. Each round therefore compares what the broker enforces with the
     * catalogue and asks for whatever differs that it has not asked for yet, until they agree.
     * It can remove only what the broker shows: an ACL another client created a moment before
     * this call, not shown yet, is left until the next sync.
     */
    static void sync(Admin admin, TopicCatalogue catalogue, Duration timeout)
            throws InterruptedException {
        Set<AclBinding> wanted = of(catalogue);
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<AclBinding> deleted = new HashSet<>();
        Set<AclBinding> created = new HashSet<>();
        try {
            for (Set<AclBinding> present = managed(admin, timeout); !present.equals(wanted);
                    present = managed(admin, timeout)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the broker did not apply the ACLs within "
                            + timeout);
                }
                Set<AclBinding> stale = new HashSet<>(present);
                stale.removeAll(wanted);
                stale.removeAll(deleted);
                Set<AclBinding> missing = new HashSet<>(wanted);
                missing.removeAll(present);
                missing.removeAll(created);
                if (!stale.isEmpty()) {
                    admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    deleted.addAll(stale);
                }
                if (!missing.isEmpty()) {
                    admin.createAcls(missing).all().get(timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
                    created.addAll(missing);
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the pipeline's ACLs",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    private static Set<AclBinding> managed(Admin admin, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> principals = Arrays.stream(PipelineClient.values())
                .map(CatalogueAcls::principal).collect(Collectors.toSet());
        Collection<AclBinding> all = admin.describeAcls(AclBindingFilter.ANY).values()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return all.stream().filter(b -> principals.contains(b.entry().principal()))
                .collect(Collectors.toSet());
    }

    private static AclBinding binding(Permission permission) {
        return new AclBinding(new ResourcePattern(permission.resourceType(),
                permission.resource(), permission.patternType()),
                new AccessControlEntry(principal(permission.client()), "*",
                        permission.operation(), AclPermissionType.ALLOW));
    }
}
