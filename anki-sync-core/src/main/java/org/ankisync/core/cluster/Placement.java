package org.ankisync.core.cluster;

import java.util.Objects;

/**
 * The answer of {@link UserPlacement#locate}: served here, served by another
 * node (its public endpoint, the base URL the client appends {@code sync/meta}
 * to), or being moved between nodes right now (every request is refused with a
 * retryable error until the move ends).
 */
public sealed interface Placement {
    Placement HERE = new Here();
    Placement MOVING = new Moving();

    /** This node holds the user's files. */
    record Here() implements Placement {}

    /** The user's files are being copied to another node. */
    record Moving() implements Placement {}

    /**
     * Another node holds the user's files.
     *
     * @param endpoint that node's public base URL, ending in {@code /} (e.g. {@code https://sync2.example.com/})
     */
    record Elsewhere(String endpoint) implements Placement {
        public Elsewhere {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!endpoint.endsWith("/")) {
                throw new IllegalArgumentException("a node's endpoint must end with '/': " + endpoint);
            }
        }
    }
}
