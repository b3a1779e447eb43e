#pragma once
// An ApiAuthenticator over a test's user directory, with its sessions in a
// temp dir and no login wait or bans unless a test asks for them.
#include <memory>

#include "TempDir.h"
#include "api/ApiAuthenticator.h"

namespace rport::test {

struct TestAuthenticator {
    explicit TestAuthenticator(rportd::api::ApiUserDirectory& users,
                               rportd::api::ApiAuthSettings settings = quiet())
        : sessions(dir.path() + "/api_sessions.db", 0),
          auth(users, sessions, std::move(settings)) {}

    static rportd::api::ApiAuthSettings quiet() {
        rportd::api::ApiAuthSettings s;
        s.jwtSecret = "test secret";
        s.throttle.loginWaitMillis = 0;
        s.throttle.maxFailedLogins = 0;
        return s;
    }

    TempDir dir;
    rportd::auth::ApiSessions sessions;
    rportd::api::ApiAuthenticator auth;
};

}  // namespace rport::test
