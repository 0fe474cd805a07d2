package org.ankisync.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ankisync.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {
    @Test
    void readsUrlUserPasswordAndPoolSize() {
        DatabaseSettings s = DatabaseSettings.fromSettings(Map.of(
                "ANKISYNCD_DATABASE_URL",
                " jdbc:postgresql://db:5432/anki ",
                "ANKISYNCD_DATABASE_USER",
                "anki",
                "ANKISYNCD_DATABASE_PASSWORD",
                " pass with spaces ",
                "ANKISYNCD_DATABASE_POOL_SIZE",
                "8"));
        assertEquals("jdbc:postgresql://db:5432/anki", s.url());
        assertEquals("anki", s.user());
        assertEquals(" pass with spaces ", s.password());
        assertEquals(8, s.poolSize());
    }

    @Test
    void userAndPasswordMayComeWithTheUrl() {
        DatabaseSettings s = DatabaseSettings.fromSettings(
                Map.of("ANKISYNCD_DATABASE_URL", "jdbc:postgresql://db/anki?user=anki&password=secret"));
        assertNull(s.user());
        assertNull(s.password());
        assertEquals(DatabaseSettings.DEFAULT_POOL_SIZE, s.poolSize());
        assertFalse(s.safeUrl().contains("secret"), s.safeUrl());
        assertFalse(s.toString().contains("secret"), s.toString());
    }

    @Test
    void badSettingsAreOneLineConfigurationErrors() {
        assertTrue(assertThrows(ConfigException.class, () -> DatabaseSettings.fromSettings(Map.of()))
                .getMessage()
                .startsWith("ANKISYNCD_DATABASE_URL is required"));
        assertThrows(
                ConfigException.class,
                () -> DatabaseSettings.fromSettings(Map.of("ANKISYNCD_DATABASE_URL", "postgresql://db/anki")));
        assertThrows(
                ConfigException.class,
                () -> DatabaseSettings.fromSettings(Map.of(
                        "ANKISYNCD_DATABASE_URL", "jdbc:postgresql://db/anki", "ANKISYNCD_DATABASE_POOL_SIZE", "0")));
        assertThrows(
                ConfigException.class,
                () -> DatabaseSettings.fromSettings(Map.of(
                        "ANKISYNCD_DATABASE_URL",
                        "jdbc:postgresql://db/anki",
                        "ANKISYNCD_DATABASE_POOL_SIZE",
                        "many")));
    }
}
