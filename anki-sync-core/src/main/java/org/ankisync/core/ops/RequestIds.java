package org.ankisync.core.ops;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: 12 hex digits, short enough to read off a user's screenshot of
 * an error and unique enough to find its line in a day's log. Not secret.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";

    private RequestIds() {
    }

    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL;
        return String.format("%012x", bits);
    }
}
