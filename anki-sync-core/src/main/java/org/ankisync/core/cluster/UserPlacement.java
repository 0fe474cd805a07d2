package org.ankisync.core.cluster;

/**
 * Which node serves a user: the seam that lets several servers share one
 * account store while each keeps its own users' collections. The default,
 * {@link #SINGLE_NODE}, serves everybody here (one server, as before).
 * Implementations are asked once per authenticated request, so they must be
 * quick and thread-safe; a user seen for the first time is placed by the
 * implementation's own rule.
 */
public interface UserPlacement {
    /** One server: every user is served here. */
    UserPlacement SINGLE_NODE = username -> Placement.HERE;

    /** Where {@code username}'s collection and media are served now. */
    Placement locate(String username);
}
