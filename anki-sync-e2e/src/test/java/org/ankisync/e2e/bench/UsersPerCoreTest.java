package org.ankisync.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UsersPerCoreTest {
    @Test
    void aCoreHalfBusyServesItsDayOfCpuOverWhatAUsersSyncsCost() {
        // 43200 s of CPU a day at 50 %; 50 syncs × 10 ms = 0.5 s per user and day.
        assertEquals(86_400, UsersPerCore.estimate(0.010, 50, 0.5), 1e-6);
        // Twice the cost per sync, half the users.
        assertEquals(43_200, UsersPerCore.estimate(0.020, 50, 0.5), 1e-6);
    }

    @Test
    void refusesAssumptionsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> UsersPerCore.estimate(0, 50, 0.5));
        assertThrows(IllegalArgumentException.class, () -> UsersPerCore.estimate(0.01, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> UsersPerCore.estimate(0.01, 50, 1.5));
        assertThrows(IllegalArgumentException.class, () -> UsersPerCore.estimate(Double.NaN, 50, 0.5));
    }
}
