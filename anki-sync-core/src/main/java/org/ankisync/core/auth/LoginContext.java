package org.ankisync.core.auth;

/**
 * What is known about the device logging in, for the key record and the log.
 *
 * @param clientVersion the client's version string from the request framing
 * @param remoteAddress the client address as the adapter determined it
 */
public record LoginContext(String clientVersion, String remoteAddress) {}
