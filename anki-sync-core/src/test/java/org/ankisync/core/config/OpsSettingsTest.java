package org.ankisync.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsSettingsTest {
    @Test
    void theWarmUpRunsThirtySyncsUnlessToldOtherwise() {
        assertEquals(30, OpsSettings.defaults().warmupSyncs());
        assertEquals(
                0,
                OpsSettings.fromSettings(Map.of(OpsSettings.WARMUP_SYNCS, "0")).warmupSyncs());
        assertEquals(
                200,
                OpsSettings.fromSettings(Map.of(OpsSettings.WARMUP_SYNCS, " 200 "))
                        .warmupSyncs());
    }

    @Test
    void aNegativeOrHugeWarmUpIsRefusedByName() {
        for (String bad : new String[] {"-1", "10001", "99999999999", "many"}) {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> OpsSettings.fromSettings(Map.of(OpsSettings.WARMUP_SYNCS, bad)), bad);
            assertTrue(e.getMessage().contains(OpsSettings.WARMUP_SYNCS), e.getMessage());
        }
    }
}
