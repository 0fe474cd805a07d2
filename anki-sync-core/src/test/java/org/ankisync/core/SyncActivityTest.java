package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.core.activity.SyncActivity;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SyncServer tells its {@link SyncActivity}: a started sync, a failed request, a refused login. */
class SyncActivityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theServerReportsSyncsAndFailures() {
        List<String> seen = new ArrayList<>();
        SyncActivity activity = new SyncActivity() {
            @Override
            public void syncStarted(String user, String clientVersion, String address) {
                seen.add("sync " + user + " " + clientVersion);
            }

            @Override
            public void requestFailed(String address, String path, int status, String message) {
                seen.add("failed " + path + " " + status);
            }

            @Override
            public void loginFailed(String user, String address, String reason) {
                seen.add("login " + user + " " + reason);
            }
        };
        OneTestUser users = new OneTestUser();
        SyncServer server = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .activity(activity)
                .build();
        assertEquals(403, post(server, "sync/hostKey", "", "{\"u\":\"u\",\"p\":\"wrong\"}"));
        assertEquals(200, post(server, "sync/meta", "key-u", "{\"v\":11,\"cv\":\"test\"}"));
        assertEquals(403, post(server, "sync/meta", "bad-key", "{\"v\":11,\"cv\":\"test\"}"));
        server.close();
        assertEquals(List.of("login u wrong_password", "sync u anki,9.9,linux", "failed sync/meta 403"), seen);
    }

    private static int post(SyncServer server, String path, String key, String payload) {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", key)
                .put("c", "anki,9.9,linux")
                .put("s", "")
                .toString();
        SyncReply reply =
                server.handle(TestCall.v11(path, header, Zstd.compress(payload.getBytes(StandardCharsets.UTF_8))));
        reply.complete();
        return reply.status();
    }
}
