package org.ankisync.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.Test;

class PlacementGateTest {
    private final PlacementGate gate = new PlacementGate(user -> Map.<String, Placement>of(
                    "far", new Placement.Elsewhere("http://node2.example:27701/"), "moving", Placement.MOVING)
            .getOrDefault(user, Placement.HERE));

    @Test
    void aUserServedHereIsAdmitted() {
        assertTrue(gate.enter("near", true).isEmpty());
        gate.leave("near");
    }

    @Test
    void metaOfAUserServedElsewhereIsAPermanentRedirectToThatNodesBaseUrl() {
        SyncReply reply = gate.enter("far", true).orElseThrow();
        assertEquals(308, reply.status());
        assertEquals("http://node2.example:27701/", reply.headers().get("Location"));
    }

    @Test
    void otherMethodsOfAUserServedElsewhereGetARetryableError() {
        assertEquals(503, gate.enter("far", false).orElseThrow().status());
    }

    @Test
    void aUserBeingMovedGetsARetryableError() {
        assertEquals(503, gate.enter("moving", true).orElseThrow().status());
    }

    @Test
    void aHoldRefusesNewRequestsUntilReleased() throws InterruptedException {
        try (PlacementGate.Hold hold = gate.hold("near", Duration.ZERO)) {
            Optional<SyncReply> refused = gate.enter("near", true);
            assertEquals(503, refused.orElseThrow().status());
        }
        assertTrue(gate.enter("near", true).isEmpty());
        gate.leave("near");
    }

    @Test
    void aHoldFailsWhileARequestStillRunsAndLeavesTheUserAdmitted() {
        assertTrue(gate.enter("near", false).isEmpty());
        assertThrows(IllegalStateException.class, () -> gate.hold("near", Duration.ZERO));
        gate.leave("near");
        assertTrue(gate.enter("near", false).isEmpty());
        gate.leave("near");
    }
}
