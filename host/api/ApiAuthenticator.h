#pragma once
// Who is calling the API, and whether they may try: one place that decides
// it for every route and for /login.
//
//   - the address a request comes from: the peer, or what trusted proxies
//     report in X-Forwarded-For ([api] trusted_proxies);
//   - an address banned after too many failed logins gets 423, a username
//     that failed a moment ago at that address 429 (auth::LoginThrottle);
//   - HTTP Basic (which wins when both are sent, as in the original), else a
//     bearer token from /login: a JWT signed with [api] jwt_secret that
//     names a live server-side session (auth::ApiSessions).
//
// How a bearer token is answered when it is no good (rport-behaviour §4.4,
// where the original answers 500): text that is not a JWT at all is a
// malformed request, 400 (RFC 6750 §3.1 invalid_request; the original web UI
// sends "Bearer undefined" right after login and would drop its session on a
// 401); a forged, expired or revoked token is 401 (invalid_token).
//
// Counted as failed logins (the throttle's wait and ban): a wrong password,
// an unknown user, a forged token. Not counted: a request without
// credentials (nobody guessed anything) and an expired or revoked token
// (an honest client whose session ended).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/ApiError.h"
#include "api/ApiUsers.h"
#include "auth/ApiSessions.h"
#include "auth/JsonWebToken.h"
#include "auth/LoginThrottle.h"
#include "http/HttpRequest.h"
#include "util/TrustedProxies.h"

namespace rportd::api {

struct ApiAuthSettings {
    std::string jwtSecret;  // never empty: the app makes a random one when unset
    util::TrustedProxies trustedProxies;
    auth::LoginThrottle::Settings throttle;
    // The longest token-lifetime a login may ask for ([api] max_token_lifetime,
    // 0: the original's hard limit of 90 days).
    int64_t maxTokenLifetimeSeconds = 0;
};

class ApiAuthenticator {
public:
    // The original's limits for ?token-lifetime= (seconds).
    static constexpr int64_t kDefaultTokenLifetime = 600;
    static constexpr int64_t kMaxTokenLifetime = 90LL * 24 * 3600;

    ApiAuthenticator(ApiUserDirectory& users, auth::ApiSessions& sessions,
                     ApiAuthSettings settings);

    // Where the request comes from, for bans, logs and sessions.
    std::string sourceAddress(const http::HttpRequest& request) const;
    // Throws 423 while the address is banned.
    void refuseBanned(const std::string& address) const;

    // The caller of a route that needs a user; throws ApiError (400, 401,
    // 429, 503). May block (moves the request off the event loop) when the
    // user store can.
    ApiUser authenticate(const http::HttpRequest& request, const std::string& address);

    // /login's password check, with the same throttle; throws ApiError.
    ApiUser checkPassword(std::string_view username, std::string_view password,
                          const std::string& address);
    // The lifetime a login asked for in ?token-lifetime=, in seconds; throws 400.
    int64_t tokenLifetime(std::string_view requested) const;
    // A new session for user and its token.
    std::string issueToken(const ApiUser& user, int64_t lifetimeSeconds,
                           const http::HttpRequest& request, const std::string& address);
    // /logout: deletes the session the request's bearer token names; throws ApiError.
    void revoke(const http::HttpRequest& request, const std::string& address);

    auth::ApiSessions& sessions() { return _sessions; }

private:
    ApiUser authenticateBearer(const http::HttpRequest& request, std::string_view token,
                               const std::string& address);
    // Accepts a store's verdict on username, or throws 401/503 as for a failed login.
    void completeUser(std::string_view username, ApiUserDirectory::Result result,
                      const std::string& address);
    void refuseWhileWaiting(std::string_view username, const std::string& address) const;
    [[noreturn]] void failLogin(std::string_view username, const std::string& address);

    ApiUserDirectory& _users;
    auth::ApiSessions& _sessions;
    ApiAuthSettings _settings;
    auth::TokenSigner _signer;
    auth::LoginThrottle _throttle;
};

// The bearer token of an "Authorization: Bearer <token>" value (scheme
// case-insensitive), or nullopt when the value is not of that scheme.
std::optional<std::string_view> bearerToken(std::string_view authorization);

}  // namespace rportd::api
