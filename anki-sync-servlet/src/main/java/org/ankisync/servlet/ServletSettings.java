package org.ankisync.servlet;

import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.naming.Binding;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;

/**
 * Where the WAR finds its settings (the same keys as the launcher:
 * {@code ANKISYNCD_*}, {@code MAX_SYNC_PAYLOAD_MEGS}, {@code SYNC_USER1}, ...),
 * strongest first:
 * <ol>
 *   <li>servlet context parameters ({@code <context-param>}, or Tomcat's
 *       {@code <Parameter>} in the context XML);</li>
 *   <li>JNDI environment entries under {@code java:comp/env} ({@code <env-entry>},
 *       or Tomcat's {@code <Environment>});</li>
 *   <li>environment variables of the container's process;</li>
 *   <li>the {@code ankisyncd.conf} file named by {@code ANKISYNCD_CONFIG} (from any
 *       of the above), else {@code ./ankisyncd.conf} in the container's working
 *       directory if it exists (read by {@code ServerConfig.load});</li>
 *   <li>the defaults.</li>
 * </ol>
 */
final class ServletSettings {
    static final String JNDI_ENVIRONMENT = "java:comp/env";

    private ServletSettings() {}

    /** The merged settings of a deployment; the file and the defaults are applied by {@code ServerConfig.load}. */
    static Map<String, String> read(ServletContext context) {
        return merge(System.getenv(), jndiEntries(), contextParameters(context));
    }

    /** Later sources win: environment, then JNDI entries, then context parameters. */
    static Map<String, String> merge(
            Map<String, String> environment, Map<String, String> jndi, Map<String, String> contextParameters) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(jndi);
        merged.putAll(contextParameters);
        return merged;
    }

    static Map<String, String> contextParameters(ServletContext context) {
        Map<String, String> values = new HashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            String value = context.getInitParameter(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** Every simple value bound directly under {@code java:comp/env}; empty where the container has no JNDI. */
    static Map<String, String> jndiEntries() {
        Map<String, String> values = new HashMap<>();
        try {
            Context env = (Context) new InitialContext().lookup(JNDI_ENVIRONMENT);
            NamingEnumeration<Binding> bindings = env.listBindings("");
            while (bindings.hasMore()) {
                Binding binding = bindings.next();
                Object value = binding.getObject();
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    values.put(binding.getName(), value.toString());
                }
            }
        } catch (NamingException | RuntimeException noJndi) {
            // No naming in this container (or nothing bound): the other sources still apply.
        }
        return values;
    }
}
