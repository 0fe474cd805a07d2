package org.ankisync.core.auth;

/**
 * User names double as folder names under the collections path, so the server
 * accepts only names that cannot escape it or collide on case-insensitive file
 * systems in surprising ways.
 */
public final class UserNames {
    private static final int MAX_LENGTH = 128;

    private UserNames() {}

    /** True if {@code name} can be used as an account and folder name. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"'
                    || c == '<' || c == '>' || c == '|') {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link IllegalArgumentException} with a reason if the name is not valid. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid user name '" + name
                    + "': use 1-" + MAX_LENGTH + " characters, no path separators, control characters,"
                    + " leading dot or any of : * ? \" < > |");
        }
        return name;
    }
}
