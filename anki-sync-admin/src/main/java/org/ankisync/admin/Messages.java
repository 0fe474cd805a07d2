package org.ankisync.admin;

/**
 * The confirmations shown after a form's redirect. Only these fixed texts can
 * appear: the redirect carries a code, never a message of its own.
 */
final class Messages {
    private Messages() {
    }

    static String of(String code) {
        return switch (code) {
            case "add" -> "User added.";
            case "passwd" -> "Password changed; the user's devices must log in again.";
            case "remove" -> "User removed; their devices are logged out.";
            case "revoke" -> "Device key revoked: that device must log in again.";
            case "revoke-all" -> "All device keys of the user revoked.";
            default -> null;
        };
    }
}
