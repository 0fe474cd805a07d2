package org.ankisync.auth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.ankisync.core.SyncServer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.LoginThrottle;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.AuthSettings;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything about accounts, wired from the configuration in one place, so the
 * launcher, the servlet and the command line behave the same:
 *
 * <pre>{@code
 * try (Accounts accounts = Accounts.fromConfig(config, System.getenv())) {
 *     SyncServer server = accounts.applyTo(SyncServer.builder(config)).build();
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link #users()}: the users of {@code SYNC_USERn} variables (always, and
 *     they win over a store user of the same name), plus the configured store
 *     ({@code ANKISYNCD_AUTH_STORE}: {@code sqlite}, {@code json}, {@code env}
 *     or a {@link UserStoreProvider}). Removing a user or changing a password
 *     through it revokes the user's host keys.</li>
 * <li>{@link #hostKeys()}: random per-login keys recorded in the account
 *     database ({@link HostKeyStore}), plus the official server's derived keys
 *     of {@code SYNC_USERn} users, so clients moving over stay logged in.</li>
 * <li>{@link #loginThrottle()}: per user name and address ({@link LoginThrottler}).</li>
 * </ul>
 */
public final class Accounts implements AutoCloseable {
    public static final String SQLITE = "sqlite";
    public static final String JSON = "json";
    public static final String ENV = "env";
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

    private final String storeName;
    private final EnvironmentUsers environment;
    private final UserStore store;
    private final AccountStore accountStore;
    private final IssuedKeys keys;
    private final UserStore users;
    private final HostKeys hostKeys;
    private final LoginThrottle throttle;

    private Accounts(
            String storeName,
            EnvironmentUsers environment,
            UserStore store,
            AccountStore accountStore,
            LoginThrottle throttle) {
        this.storeName = storeName;
        this.environment = environment;
        this.store = store;
        this.accountStore = accountStore;
        this.keys = accountStore.keys();
        this.throttle = throttle;
        this.users = new CombinedUsers();
        this.hostKeys = new CombinedKeys();
    }

    /** The accounts of a configuration; {@code environment} supplies {@code SYNC_USERn} and {@code PASSWORDS_HASHED}. */
    public static Accounts fromConfig(ServerConfig config, Map<String, String> environment) {
        return fromConfig(config, environment, Clock.systemUTC(), PasswordPolicy.standard());
    }

    /** As {@link #fromConfig(ServerConfig, Map)}, with the time source and hashing cost chosen (tests). */
    public static Accounts fromConfig(
            ServerConfig config, Map<String, String> environment, Clock clock, PasswordPolicy hashing) {
        EnvironmentUsers env;
        try {
            env = EnvironmentUsers.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        AuthSettings auth = config.auth();
        AccountStore accountStore = switch (auth.store()) {
            case SQLITE -> SqliteAccountStore.open(config.authDbPath(), clock, hashing, env::credential);
            case JSON -> new LocalKeys(new JsonFileUserStore(auth.jsonPath(), hashing), config, clock, env);
            case ENV -> new LocalKeys(env, config, clock, env);
            default -> provided(auth.store(), config, environment, clock, hashing, env);
        };
        try {
            LoginThrottle throttle =
                    new LoginThrottler(auth.loginMaxFailures(), auth.loginDelay(), auth.loginMaxDelay(), clock);
            Accounts accounts = new Accounts(auth.store(), env, accountStore.users(), accountStore, throttle);
            accounts.warnAboutShadowedUsers();
            return accounts;
        } catch (RuntimeException e) {
            accountStore.close();
            throw e;
        }
    }

    /**
     * A store found with {@link ServiceLoader}: an {@link AccountStoreProvider} (users and keys in its
     * store), else a {@link UserStoreProvider} (keys in the local account database).
     */
    private static AccountStore provided(
            String name,
            ServerConfig config,
            Map<String, String> environment,
            Clock clock,
            PasswordPolicy hashing,
            EnvironmentUsers env) {
        List<String> found = new ArrayList<>();
        for (AccountStoreProvider provider : ServiceLoader.load(AccountStoreProvider.class)) {
            if (provider.name().equals(name)) {
                return provider.open(new AccountStoreProvider.Context(
                        config, ServerConfig.settings(environment), clock, hashing, env::credential));
            }
            found.add(provider.name());
        }
        for (UserStoreProvider provider : ServiceLoader.load(UserStoreProvider.class)) {
            if (provider.name().equals(name)) {
                return new LocalKeys(provider.create(config, environment), config, clock, env);
            }
            found.add(provider.name());
        }
        throw new ConfigException(AuthSettings.STORE + ": no user store named '" + name + "' (built in: sqlite, json,"
                + " env" + (found.isEmpty() ? "" : "; on the class path: " + String.join(", ", found)) + ")");
    }

    private void warnAboutShadowedUsers() {
        if (store == environment) {
            return;
        }
        for (String name : environment.list()) {
            if (store.exists(name)) {
                LOG.warn(
                        "user '{}' is defined by {} and in the {} store: the variable wins",
                        name,
                        environment.variableOf(name).orElse("SYNC_USERn"),
                        storeName);
            }
        }
    }

    /** Sets the users, host keys and login throttle of a server being built; closing the server closes these. */
    public SyncServer.Builder applyTo(SyncServer.Builder builder) {
        return builder.users(users).hostKeys(hostKeys).loginThrottle(throttle).closeWith(this);
    }

    /**
     * Whether users and host keys live in this machine's files (the {@code sqlite},
     * {@code json} and {@code env} stores): then checking a host key never waits
     * for the network, only briefly for the local account database.
     */
    public boolean local() {
        return storeName.equals(SQLITE) || storeName.equals(JSON) || storeName.equals(ENV);
    }

    /** Every user: {@code SYNC_USERn} and the configured store. */
    public UserStore users() {
        return users;
    }

    public HostKeys hostKeys() {
        return hostKeys;
    }

    /** The issued keys: list and revoke. */
    public IssuedKeys keys() {
        return keys;
    }

    public LoginThrottle loginThrottle() {
        return throttle;
    }

    public EnvironmentUsers environmentUsers() {
        return environment;
    }

    /** {@code sqlite}, {@code json}, {@code env} or a provider's name. */
    public String storeName() {
        return storeName;
    }

    /** Whether users can be added, removed and have their passwords changed. */
    public boolean isWritable() {
        return store != environment;
    }

    @Override
    public void close() {
        accountStore.close();
    }

    private void refuseEnvironmentUser(String username) {
        Optional<String> variable = environment.variableOf(username);
        if (variable.isPresent()) {
            throw new IllegalArgumentException("user '" + username + "' is defined by the environment variable "
                    + variable.get() + "; change or remove it there and restart");
        }
        if (!isWritable()) {
            throw new UnsupportedOperationException("the user store is 'env' (read-only): set " + AuthSettings.STORE
                    + "=sqlite or json to manage users with this command");
        }
    }

    private final class CombinedUsers implements UserStore {
        @Override
        public boolean verifyPassword(String username, String password) {
            if (environment.exists(username) || store == environment) {
                return environment.verifyPassword(username, password);
            }
            return store.verifyPassword(username, password);
        }

        @Override
        public boolean exists(String username) {
            return environment.exists(username) || store.exists(username);
        }

        @Override
        public List<String> list() {
            TreeSet<String> names = new TreeSet<>(environment.list());
            if (store != environment) {
                names.addAll(store.list());
            }
            return new ArrayList<>(names);
        }

        @Override
        public void add(String username, String password) {
            refuseEnvironmentUser(username);
            store.add(username, password);
            keys.revokeAll(username);
        }

        @Override
        public boolean remove(String username) {
            refuseEnvironmentUser(username);
            boolean removed = store.remove(username);
            keys.revokeAll(username);
            return removed;
        }

        @Override
        public boolean changePassword(String username, String newPassword) {
            refuseEnvironmentUser(username);
            boolean changed = store.changePassword(username, newPassword);
            if (changed) {
                keys.revokeAll(username);
            }
            return changed;
        }
    }

    private final class CombinedKeys implements HostKeys {
        @Override
        public String issue(String username, LoginContext context) {
            return keys.issue(username, context);
        }

        @Override
        public Optional<String> resolve(String hostKey) {
            return resolve(hostKey, null);
        }

        @Override
        public Optional<String> resolve(String hostKey, LoginContext context) {
            Optional<String> user = keys.resolve(hostKey, context);
            return user.isPresent() ? user : environment.resolve(hostKey);
        }
    }

    /**
     * A user store that keeps no keys (json, env, a {@link UserStoreProvider}) beside the host keys of
     * the local account database.
     */
    private static final class LocalKeys implements AccountStore {
        private final UserStore users;
        private final AuthDatabase db;
        private final HostKeyStore keys;

        LocalKeys(UserStore users, ServerConfig config, Clock clock, EnvironmentUsers env) {
            this.users = users;
            this.db = AuthDatabase.open(config.authDbPath());
            this.keys = new HostKeyStore(db, clock, env::credential);
        }

        @Override
        public UserStore users() {
            return users;
        }

        @Override
        public IssuedKeys keys() {
            return keys;
        }

        @Override
        public void close() {
            if (users instanceof AutoCloseable closeable && !(users instanceof EnvironmentUsers)) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing the user store failed", e);
                }
            }
            db.close();
        }
    }
}
