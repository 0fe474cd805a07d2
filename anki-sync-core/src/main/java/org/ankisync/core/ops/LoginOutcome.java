package org.ankisync.core.ops;

/** How a {@code hostKey} login ended. */
public enum LoginOutcome {
    OK("ok"),
    WRONG_PASSWORD("wrong_password"),
    /** Also a name that cannot be a user name at all. */
    UNKNOWN_USER("unknown_user"),
    /** Refused without checking the password, because of earlier failures. */
    THROTTLED("throttled");

    private final String label;

    LoginOutcome(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
