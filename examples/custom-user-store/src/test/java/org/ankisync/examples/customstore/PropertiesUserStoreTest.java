package org.ankisync.examples.customstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider is found by name through ServiceLoader, exactly as the launcher would find it. */
class PropertiesUserStoreTest {
    @TempDir
    Path temp;

    @Test
    void theLauncherWiringFindsAndUsesTheStore() throws Exception {
        Path users = temp.resolve("users.properties");
        Files.writeString(users, "frank=" + Pbkdf2.hash("frank-pass", 1000) + "\n");
        Map<String, String> settings = Map.of(
                "ANKISYNCD_AUTH_STORE",
                "properties",
                "ANKISYNCD_AUTH_DB_PATH",
                temp.resolve("users.db").toString(),
                PropertiesUserStoreProvider.FILE,
                users.toString());
        try (Accounts accounts = Accounts.fromConfig(ServerConfig.fromSettings(settings), settings)) {
            assertEquals(List.of("frank"), accounts.users().list());
            assertTrue(accounts.users().verifyPassword("frank", "frank-pass"));
            assertFalse(accounts.users().verifyPassword("frank", "wrong"));
        }
    }
}
