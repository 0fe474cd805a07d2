package org.ankisync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSettingsTest {
    @TempDir
    Path temp;

    @Test
    void offWithoutAPassword() {
        AdminSettings s = AdminSettings.fromSettings(Map.of());
        assertFalse(s.enabled());
        assertEquals("127.0.0.1", s.host());
        assertEquals(AdminSettings.DEFAULT_PORT, s.port());
        assertTrue(s.path().isEmpty());
    }

    @Test
    void aPlainPasswordIsRefusedWithTheWayToHashIt() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> AdminSettings.fromSettings(Map.of(AdminSettings.PASSWORD, "hunter2")));
        assertTrue(e.getMessage().contains("admin hash-password"), e.getMessage());
    }

    @Test
    void theHashMayComeFromAFile() throws Exception {
        String hash = Pbkdf2.hash("pw", 1000);
        Path file = temp.resolve("admin.pass");
        Files.writeString(file, "\n" + hash + "\n");
        AdminSettings s = AdminSettings.fromSettings(Map.of(AdminSettings.PASSWORD_FILE, file.toString()));
        assertEquals(hash, s.passwordHash().orElseThrow());
        assertThrows(
                ConfigException.class,
                () -> AdminSettings.fromSettings(
                        Map.of(AdminSettings.PASSWORD_FILE, file.toString(), AdminSettings.PASSWORD, hash)),
                "not both");
        assertThrows(
                ConfigException.class,
                () -> AdminSettings.fromSettings(Map.of(
                        AdminSettings.PASSWORD_FILE, temp.resolve("missing").toString())));
    }

    @Test
    void pathsAreNormalisedAndTheSyncRoutesAreRefused() {
        assertEquals(
                "/admin",
                AdminSettings.fromSettings(Map.of(AdminSettings.PATH, "admin/"))
                        .path()
                        .orElseThrow());
        assertEquals(
                "/ops/admin",
                AdminSettings.fromSettings(Map.of(AdminSettings.PATH, "/ops/admin"))
                        .path()
                        .orElseThrow());
        for (String bad : new String[] {"/", "/sync", "msync", "/a b", "/../x"}) {
            assertThrows(ConfigException.class, () -> AdminSettings.fromSettings(Map.of(AdminSettings.PATH, bad)), bad);
        }
        assertThrows(
                ConfigException.class,
                () -> AdminSettings.fromSettings(Map.of(AdminSettings.SECURE_COOKIE, "sometimes")));
    }
}
