package org.ankisync.auth;

import java.time.Instant;

/**
 * What is known about one issued host key (one login of one device). The key
 * itself is not kept, only its hash; {@code id} names it for listing and revoking.
 */
public record HostKeyRecord(
        long id,
        String user,
        String clientVersion,
        Instant created,
        String firstAddress,
        Instant lastUsed,
        String lastAddress) {}
