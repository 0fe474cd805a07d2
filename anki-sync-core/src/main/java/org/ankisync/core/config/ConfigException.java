package org.ankisync.core.config;

/** A bad setting; its message is the one-line reason shown when start-up stops. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
