package org.ankisync.e2e.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** The accounts every test server is started with, as SYNC_USERn variables. */
public final class TestUsers {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-secret";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "bob-secret";

    private TestUsers() {}

    public static Map<String, String> asEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SYNC_USER1", ALICE + ":" + ALICE_PASSWORD);
        env.put("SYNC_USER2", BOB + ":" + BOB_PASSWORD);
        return env;
    }
}
