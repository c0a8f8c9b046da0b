package ai.collectiveagency.k8s.render;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields a typed model did not know. fabric8's and Strimzi's models keep unknown fields in
 * {@code additionalProperties} rather than failing (a cluster's newer fields must survive a
 * round trip), so strict parsing walks the parsed object and reports every such field, with
 * its path. A misspelt or invented field ({@code readOnlyRootFileSystem}) shows up here, where a
 * cluster would silently drop it.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    /** Paths like {@code spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem}. */
    static List<String> in(Object model) {
        List<String> unknown = new ArrayList<>();
        walk(model, "", unknown);
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]", unknown));
            return;
        }
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                walk(invoke(component.getAccessor(), record), join(path, component.getName()),
                        unknown);
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> unknown.add(join(path, String.valueOf(key))));
                }
                continue;
            }
            walk(field, join(path, propertyName(getter)), unknown);
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return !type.isEnum() && (name.startsWith("io.fabric8.kubernetes.api.model")
                || name.startsWith("io.fabric8.openshift.api.model")
                || name.startsWith("io.fabric8.kubernetes.client.CustomResource")
                || name.startsWith("io.strimzi.api."));
    }

    private static boolean isGetter(Method method) {
        return method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                && method.getName().startsWith("get") && !method.getName().equals("getClass")
                && method.getReturnType() != void.class;
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null; // a computed getter that needs more than the parsed fields
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
