package org.ankisync.core;

import java.util.List;
import java.util.Optional;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;

/** Accounts for core tests: one user, "u" with password "p", whose host key is "key-u". */
final class OneTestUser implements UserStore, HostKeys {
    @Override
    public boolean verifyPassword(String username, String password) {
        return username.equals("u") && password.equals("p");
    }

    @Override
    public boolean exists(String username) {
        return username.equals("u");
    }

    @Override
    public List<String> list() {
        return List.of("u");
    }

    @Override
    public String issue(String username, LoginContext context) {
        return "key-" + username;
    }

    @Override
    public Optional<String> resolve(String hostKey) {
        return hostKey.equals("key-u") ? Optional.of("u") : Optional.empty();
    }
}
