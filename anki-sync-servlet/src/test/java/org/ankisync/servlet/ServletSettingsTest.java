package org.ankisync.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.ankisync.core.config.ServerConfig;
import org.junit.jupiter.api.Test;

class ServletSettingsTest {

    @Test
    void contextParametersBeatJndiWhichBeatsTheEnvironment() {
        Map<String, String> merged = ServletSettings.merge(
                Map.of(
                        "ANKISYNCD_COLLECTIONS_PATH",
                        "/env",
                        "ANKISYNCD_MAX_UPLOAD_MB",
                        "7",
                        "ANKISYNCD_LOG_LEVEL",
                        "debug",
                        "SYNC_USER1",
                        "a:b"),
                Map.of("ANKISYNCD_COLLECTIONS_PATH", "/jndi", "ANKISYNCD_MAX_UPLOAD_MB", "8"),
                Map.of("ANKISYNCD_COLLECTIONS_PATH", "/param"));
        ServerConfig config = ServerConfig.fromSettings(merged);
        assertEquals("/param", config.collectionsPath().toString());
        assertEquals(8, config.maxPayloadMegabytes());
        assertEquals("debug", config.logLevel());
        assertEquals("a:b", merged.get("SYNC_USER1"));
    }

    @Test
    void withoutJndiTheOtherSourcesStillApply() {
        assertEquals(Map.of(), ServletSettings.jndiEntries());
    }
}
