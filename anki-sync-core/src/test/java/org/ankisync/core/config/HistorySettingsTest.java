package org.ankisync.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistorySettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        HistorySettings h = ServerConfig.defaults().history();
        assertTrue(h.snapshots());
        assertEquals(10, h.keepLast());
        assertEquals(30, h.keepDays());
        assertEquals(2048L * 1024 * 1024, h.maxBytes());
        assertEquals(30, h.mediaTrashDays());
    }

    @Test
    void settingsAreRead() {
        HistorySettings h = ServerConfig.fromSettings(Map.of(
                        HistorySettings.SNAPSHOTS,
                        "OFF",
                        HistorySettings.KEEP_LAST,
                        "3",
                        HistorySettings.KEEP_DAYS,
                        "0",
                        HistorySettings.MAX_MB,
                        "5",
                        HistorySettings.MEDIA_TRASH_DAYS,
                        "0"))
                .history();
        assertFalse(h.snapshots());
        assertEquals(3, h.keepLast());
        assertEquals(0, h.keepDays());
        assertEquals(5L * 1024 * 1024, h.maxBytes());
        assertEquals(0, h.mediaTrashDays());
    }

    @Test
    void badValuesGiveOneLineReasons() {
        ConfigException onOff = assertThrows(
                ConfigException.class, () -> ServerConfig.fromSettings(Map.of(HistorySettings.SNAPSHOTS, "maybe")));
        assertEquals("ANKISYNCD_SNAPSHOTS must be on or off, got 'maybe'", onOff.getMessage());
        assertThrows(ConfigException.class, () -> ServerConfig.fromSettings(Map.of(HistorySettings.KEEP_LAST, "0")));
        assertThrows(ConfigException.class, () -> ServerConfig.fromSettings(Map.of(HistorySettings.MAX_MB, "0")));
        assertThrows(
                ConfigException.class, () -> ServerConfig.fromSettings(Map.of(HistorySettings.MEDIA_TRASH_DAYS, "-1")));
        assertThrows(
                ConfigException.class,
                () -> ServerConfig.fromSettings(Map.of(HistorySettings.KEEP_DAYS, "99999999999")));
    }
}
