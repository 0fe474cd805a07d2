package org.ankisync.core.framing;

import java.io.InputStream;

/**
 * A request after its framing has been removed: who sent it, in which protocol
 * version, and the decompressed payload as a stream (bounded by the configured
 * size limit).
 *
 * @param protocolVersion sync protocol version (8..11); legacy requests report 10, as the official server assumes
 * @param hostKey         the host key ({@code k}), empty on login
 * @param sessionKey      the client's session key ({@code s}), empty when absent
 * @param clientVersion   the short client version string, informational
 * @param legacy          true for multipart (v8-10) framing: replies go back uncompressed
 * @param payload         the decompressed body
 */
public record SyncRequest(
        int protocolVersion,
        String hostKey,
        String sessionKey,
        String clientVersion,
        boolean legacy,
        InputStream payload) {}
