package org.ankisync.examples.customstore;

import java.nio.file.Path;
import java.util.Map;
import org.ankisync.auth.UserStoreProvider;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;

/**
 * Selected with {@code ANKISYNCD_AUTH_STORE=properties}; reads the file named
 * by {@code EXAMPLE_USERS_FILE}. Registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services/org.ankisync.auth.UserStoreProvider}.
 */
public final class PropertiesUserStoreProvider implements UserStoreProvider {
    public static final String FILE = "EXAMPLE_USERS_FILE";

    @Override
    public String name() {
        return "properties";
    }

    @Override
    public UserStore create(ServerConfig config, Map<String, String> settings) {
        String file = settings.get(FILE);
        if (file == null || file.isBlank()) {
            throw new ConfigException(FILE + " must name the users file of the 'properties' store");
        }
        return new PropertiesUserStore(Path.of(file));
    }
}
