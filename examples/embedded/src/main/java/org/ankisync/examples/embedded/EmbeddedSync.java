package org.ankisync.examples.embedded;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ankisync.core.SyncServer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.media.MediaSyncService;
import org.ankisync.undertow.UndertowAdapter;

/** Anki sync inside a program with its own users and its own Undertow, under {@code /anki/}. */
public final class EmbeddedSync implements AutoCloseable {

    /** The program's own accounts (a map here; yours would ask your user table) and login keys. */
    record AppUsers(Map<String, String> passwords, Map<String, String> userByKey) implements UserStore, HostKeys {
        @Override
        public boolean verifyPassword(String user, String password) {
            return password.equals(passwords.get(user));
        }

        @Override
        public boolean exists(String user) {
            return passwords.containsKey(user);
        }

        @Override
        public List<String> list() {
            return passwords.keySet().stream().sorted().toList();
        }

        @Override
        public String issue(String user, LoginContext context) {
            byte[] random = new byte[20];
            new SecureRandom().nextBytes(random);
            String key = HexFormat.of().formatHex(random);
            userByKey.put(key, user);
            return key;
        }

        @Override
        public Optional<String> resolve(String hostKey) {
            return Optional.ofNullable(userByKey.get(hostKey));
        }
    }

    private final SyncServer sync;
    private final Undertow undertow;

    /** Serves sync for {@code passwords} (user to password) on {@code host:port}, data under {@code dataDir}. */
    public EmbeddedSync(String host, int port, Path dataDir, Map<String, String> passwords) {
        ServerConfig config = ServerConfig.defaults().withCollectionsPath(dataDir);
        AppUsers users = new AppUsers(Map.copyOf(passwords), new ConcurrentHashMap<>());
        sync = SyncServer.builder(config)
                .users(users)
                .hostKeys(users)
                .media(MediaSyncService.onFileSystem(dataDir))
                .build();
        undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L) // the core enforces its own limits
                .setHandler(Handlers.path().addPrefixPath("/anki", new UndertowAdapter(sync)))
                .build();
        undertow.start();
    }

    /** The endpoint to give clients (with the trailing slash). */
    public String endpoint() {
        InetSocketAddress address =
                (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort() + "/anki/";
    }

    @Override
    public void close() {
        undertow.stop();
        sync.close(); // rolls back running syncs
    }

    public static void main(String[] args) {
        EmbeddedSync server = new EmbeddedSync("127.0.0.1", 8080, Path.of("collections"), Map.of("me", "secret"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Anki sync endpoint: " + server.endpoint() + " (user me, password secret)");
    }
}
