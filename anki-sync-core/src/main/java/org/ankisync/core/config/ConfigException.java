package org.ankisync.core.config;

/** A bad setting; its message is the one-line reason shown when start-up stops. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
