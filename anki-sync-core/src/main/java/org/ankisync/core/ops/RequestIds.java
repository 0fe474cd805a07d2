package org.ankisync.core.ops;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: 12 hex digits, short enough to read off a user's screenshot of
 * an error and unique enough to find its line in a day's log. Not secret.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";

    private RequestIds() {}

    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL;
        // A 49th bit set and dropped again keeps the leading zeros, without String.format's cost.
        return Long.toHexString(bits | (1L << 48)).substring(1);
    }
}
