package org.ankisync.admin;

/**
 * The confirmations shown after a form's redirect. Only these fixed texts can
 * appear: the redirect carries a code, never a message of its own.
 */
final class Messages {
    private Messages() {}

    static String of(String code) {
        return switch (code) {
            case "add" -> "User added.";
            case "passwd" -> "Password changed; the user's devices must log in again.";
            case "remove" -> "User removed; their devices are logged out.";
            case "revoke" -> "Device key revoked: that device must log in again.";
            case "revoke-all" -> "All device keys of the user revoked.";
            case "create" -> "Snapshot taken.";
            case "nothing" -> "Nothing to snapshot: the collection has no notes or reviews.";
            case "restore" ->
                "Snapshot restored: every device of the user gets the full-sync choice at its next"
                        + " sync; choose Download there.";
            case "trash-restore", "trash-restore-all" -> "Media restored: devices download it at their next sync.";
            default -> null;
        };
    }
}
