package org.ankisync.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ankisync.core.SyncServer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.ops.Warmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's warm-up goes over HTTP: every request of every sync passes
 * through a loopback Undertow and the adapter, the syncs commit, and the
 * listener and the scratch folder are gone afterwards.
 */
class HttpWarmupChannelTest {
    @TempDir
    Path scratch;

    @Test
    void warmUpSyncsCommitOverHttpAndLeaveNothingBehind() throws Exception {
        List<HttpWarmupChannel> opened = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        Warmup.Result result = Warmup.run(3, scratch, server -> {
            HttpWarmupChannel channel = HttpWarmupChannel.open(server);
            opened.add(channel);
            return new Warmup.Channel() {
                @Override
                public Warmup.Response post(String path, String syncHeader, byte[] body) throws IOException {
                    Warmup.Response response = channel.post(path, syncHeader, body);
                    statuses.add(response.status());
                    return response;
                }

                @Override
                public void close() {
                    channel.close();
                }
            };
        });
        assertEquals(3, result.committed());
        assertEquals(1, opened.size());
        // meta, start, applyGraves, applyChanges, at least one chunk, applyChunk, sanityCheck2, finish
        assertTrue(statuses.size() >= 3 * 8, "requests sent: " + statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count());
        }
        ConnectException refused =
                assertThrows(ConnectException.class, () -> opened.get(0).post("sync/meta", "{}", new byte[0]));
        assertTrue(refused.getMessage() != null);
    }

    @Test
    void aRefusedRequestComesBackWithItsStatusAndText() throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("collections"));
        ServerConfig config = ServerConfig.fromSettings(Map.of(ServerConfig.COLLECTIONS_PATH, folder.toString()));
        try (SyncServer server = SyncServer.builder(config)
                        .users(new NoUsers())
                        .hostKeys(new NoUsers())
                        .build();
                HttpWarmupChannel channel = HttpWarmupChannel.open(server)) {
            Warmup.Response response = channel.post("sync/meta", "not json", new byte[] {1, 2, 3});
            assertEquals(400, response.status());
            assertTrue(
                    new String(response.body(), StandardCharsets.UTF_8).contains("bad sync header"),
                    new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** Nobody: the requests here are refused before anyone is looked up. */
    private static final class NoUsers implements UserStore, HostKeys {
        @Override
        public boolean verifyPassword(String username, String password) {
            return false;
        }

        @Override
        public boolean exists(String username) {
            return false;
        }

        @Override
        public List<String> list() {
            return List.of();
        }

        @Override
        public String issue(String username, LoginContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> resolve(String hostKey) {
            return Optional.empty();
        }
    }
}
