package org.ankisync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void knownMethods() {
        assertEquals(Route.of(SyncMethod.META), Route.parse("sync/meta").orElseThrow());
        assertEquals(Route.of(MediaMethod.BEGIN), Route.parse("/msync/begin").orElseThrow());
        assertEquals(Route.Area.HEALTH, Route.parse("health").orElseThrow().area());
    }

    @Test
    void unknownMethodIs400AndUnknownPathIs404() {
        SyncException e = assertThrows(SyncException.class, () -> Route.parse("sync/dropTables"));
        assertEquals(400, e.status());
        assertTrue(Route.parse("admin/x").isEmpty());
        assertTrue(Route.parse("sync/meta/extra").isEmpty());
        assertTrue(Route.parse("").isEmpty());
    }

    @Test
    void httpMethods() {
        assertTrue(Route.parse("sync/meta").orElseThrow().allows("POST"));
        assertFalse(Route.parse("sync/meta").orElseThrow().allows("GET"));
        assertTrue(Route.parse("msync/begin").orElseThrow().allows("GET"));
        assertFalse(Route.parse("health").orElseThrow().allows("POST"));
    }

    @Test
    void everyMethodRoutesByItsWireName() {
        for (SyncMethod method : SyncMethod.values()) {
            Route route = Route.parse("sync/" + method.wireName()).orElseThrow();
            assertEquals(method, route.sync());
            assertEquals("sync/" + method.wireName(), route.label());
            assertTrue(route.allows("POST"));
            assertFalse(route.allows("GET"));
        }
        for (MediaMethod method : MediaMethod.values()) {
            Route route = Route.parse("msync/" + method.wireName()).orElseThrow();
            assertEquals(method, route.media());
            assertEquals(method == MediaMethod.BEGIN, route.allows("GET"));
        }
        assertTrue(SyncMethod.SANITY_CHECK.needsSession());
        assertFalse(SyncMethod.START.needsSession());
    }
}
