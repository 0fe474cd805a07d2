package org.ankisync.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path temp;

    @Test
    void defaults() {
        ServerConfig config = ServerConfig.fromSettings(Map.of());
        assertEquals("127.0.0.1", config.host());
        assertEquals(27701, config.port());
        assertEquals(Path.of("./collections"), config.collectionsPath());
        assertEquals(300L * 1024 * 1024, config.maxUncompressedBytes());
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws Exception {
        Path file = temp.resolve("ankisyncd.conf");
        Files.writeString(file, "ANKISYNCD_PORT=1234\nANKISYNCD_HOST=0.0.0.0\n");
        ServerConfig config = ServerConfig.load(Map.of("ANKISYNCD_CONFIG", file.toString(), "ANKISYNCD_PORT", "4321"));
        assertEquals(4321, config.port());
        assertEquals("0.0.0.0", config.host());
    }

    @Test
    void theOfficialPayloadVariableIsRead() {
        assertEquals(
                50,
                ServerConfig.fromSettings(Map.of("MAX_SYNC_PAYLOAD_MEGS", "50")).maxPayloadMegabytes());
        assertEquals(
                70,
                ServerConfig.fromSettings(Map.of("MAX_SYNC_PAYLOAD_MEGS", "50", "ANKISYNCD_MAX_UPLOAD_MB", "70"))
                        .maxPayloadMegabytes());
    }

    @Test
    void badValuesGiveOneLineReasons() {
        ConfigException port =
                assertThrows(ConfigException.class, () -> ServerConfig.fromSettings(Map.of("ANKISYNCD_PORT", "http")));
        assertTrue(port.getMessage().contains("ANKISYNCD_PORT"), port.getMessage());
        assertThrows(ConfigException.class, () -> ServerConfig.fromSettings(Map.of("ANKISYNCD_PORT", "70000")));
        assertThrows(ConfigException.class, () -> ServerConfig.fromSettings(Map.of("ANKISYNCD_LOG_LEVEL", "loud")));
        assertThrows(
                ConfigException.class,
                () -> ServerConfig.load(
                        Map.of("ANKISYNCD_CONFIG", temp.resolve("missing.conf").toString())));
    }
}
