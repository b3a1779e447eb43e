#include "api/ApiAuthenticator.h"

#include <openssl/rand.h>
#include <strings.h>

#include <charconv>
#include <chrono>

#include "api/BasicCredentials.h"
#include "net/MonotonicClock.h"

namespace rportd::api {

namespace {

int64_t unixNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const ApiError& unauthorized() {
    // The original answers 401 without WWW-Authenticate: curl -u and scripts
    // send credentials up front, and browsers would otherwise pop a dialog
    // over the web UI.
    static const ApiError error(401, kCodeUnauthorized, "unauthorized");
    return error;
}

ApiError invalidToken(const std::string& detail) {
    // A Bearer challenge never makes a browser ask for a password.
    return ApiError(401, kCodeInvalidToken, "unauthorized", detail)
        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
}

std::string randomJti() {
    uint64_t n = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&n), sizeof n) != 1)
        throw ApiError(500, kCodeInternal, "internal server error",
                       "no random bytes for a token id");
    return std::to_string(n);
}

}  // namespace

std::optional<std::string_view> bearerToken(std::string_view authorization) {
    constexpr std::string_view scheme = "Bearer";
    if (authorization.size() < scheme.size() + 1 ||
        strncasecmp(authorization.data(), scheme.data(), scheme.size()) != 0 ||
        authorization[scheme.size()] != ' ')
        return std::nullopt;
    std::string_view token = authorization.substr(scheme.size() + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    return token;
}

ApiAuthenticator::ApiAuthenticator(ApiUserDirectory& users, auth::ApiSessions& sessions,
                                   ApiAuthSettings settings)
    : _users(users),
      _sessions(sessions),
      _settings(std::move(settings)),
      _signer(_settings.jwtSecret),
      _throttle(_settings.throttle) {
    if (_settings.maxTokenLifetimeSeconds <= 0 ||
        _settings.maxTokenLifetimeSeconds > kMaxTokenLifetime)
        _settings.maxTokenLifetimeSeconds = kMaxTokenLifetime;
}

std::string ApiAuthenticator::sourceAddress(const http::HttpRequest& request) const {
    if (_settings.trustedProxies.empty()) return request.peerAddress;
    std::string forwarded;
    for (const auto& [name, value] : request.headers) {
        if (strcasecmp(name.c_str(), "X-Forwarded-For") != 0) continue;
        if (!forwarded.empty()) forwarded += ',';
        forwarded += value;
    }
    return _settings.trustedProxies.clientAddress(request.peerAddress, forwarded);
}

void ApiAuthenticator::refuseBanned(const std::string& address) const {
    int64_t left = _throttle.bannedFor(address, net::monotonicMillis());
    if (left <= 0) return;
    // The original's words, in a JSON error.
    throw ApiError(423, kCodeAddressBanned, "Too many bad attempts. Please try later.")
        .header("Retry-After", std::to_string((left + 999) / 1000));
}

void ApiAuthenticator::refuseWhileWaiting(std::string_view username,
                                          const std::string& address) const {
    int64_t left = _throttle.waitFor(username, address, net::monotonicMillis());
    if (left <= 0) return;
    throw ApiError(429, kCodeTooManyRequests, "too many requests, please try later")
        .header("Retry-After", std::to_string((left + 999) / 1000));
}

void ApiAuthenticator::failLogin(std::string_view username, const std::string& address) {
    _throttle.recordFailure(username, address, net::monotonicMillis());
    throw unauthorized();
}

void ApiAuthenticator::completeUser(std::string_view username, ApiUserDirectory::Result result,
                                    const std::string& address) {
    switch (result) {
        case ApiUserDirectory::Result::Authenticated:
            _throttle.recordSuccess(address);
            return;
        case ApiUserDirectory::Result::PasswordExpired:
            // The original answers 500 here; it is the caller's credentials
            // that need attention, so 401 with the original's words.
            throw ApiError(401, kCodePasswordExpired,
                           "password has expired, please change your password");
        case ApiUserDirectory::Result::Unavailable:
            throw ApiError(503, kCodeAuthBackendUnavailable,
                           "user authentication backend unavailable");
        case ApiUserDirectory::Result::Rejected:
            break;
    }
    failLogin(username, address);
}

ApiUser ApiAuthenticator::authenticate(const http::HttpRequest& request,
                                       const std::string& address) {
    const std::string* header = request.header("Authorization");
    if (!header) throw unauthorized();
    if (auto credentials = parseBasicAuthorization(*header)) {
        // No name, nothing guessed: no wait and no count (the original locks
        // out the empty name, so two such requests in a row got a 429).
        if (credentials->username.empty()) throw unauthorized();
        return checkPassword(credentials->username, credentials->password, address);
    }
    if (auto token = bearerToken(*header)) return authenticateBearer(request, *token, address);
    throw unauthorized();
}

ApiUser ApiAuthenticator::checkPassword(std::string_view username, std::string_view password,
                                        const std::string& address) {
    refuseWhileWaiting(username, address);
    if (username.empty()) throw ApiError(401, kCodeUnauthorized, "username is required");
    ApiUser user;
    completeUser(username, _users.authenticate(username, password, user), address);
    return user;
}

ApiUser ApiAuthenticator::authenticateBearer(const http::HttpRequest& request,
                                             std::string_view token, const std::string& address) {
    const int64_t now = unixNanos();
    auth::TokenSigner::Reading reading = _signer.read(token, now / 1000000000);
    switch (reading.verdict) {
        case auth::TokenSigner::Verdict::Malformed:
            throw ApiError(400, kCodeInvalidRequest, "malformed bearer token", reading.reason)
                .header("WWW-Authenticate", "Bearer error=\"invalid_request\"");
        case auth::TokenSigner::Verdict::Forged:
            // Someone made a token without the secret: a guess like a wrong password.
            _throttle.recordFailure(reading.claims.username, address, net::monotonicMillis());
            throw invalidToken("token signature or claims are invalid");
        case auth::TokenSigner::Verdict::Expired:
            throw invalidToken("token expired");
        case auth::TokenSigner::Verdict::Valid:
            break;
    }
    const auth::TokenClaims& claims = reading.claims;
    if (!auth::scopesAllow(claims.scopes, request.method, request.path()))
        throw invalidToken("the token's scope does not cover this request");
    const std::string* agent = request.header("User-Agent");
    switch (_sessions.use(claims.sessionId, claims.username, agent ? *agent : "", address, now)) {
        case auth::ApiSessions::Use::Active:
            break;
        case auth::ApiSessions::Use::Expired:
            throw invalidToken("session expired");
        case auth::ApiSessions::Use::Unknown:
            throw invalidToken("session ended (logged out or unknown)");
    }
    ApiUser user;
    ApiUserDirectory::Result result = _users.lookup(claims.username, user);
    if (result == ApiUserDirectory::Result::Rejected)
        throw invalidToken("the token's user no longer exists");
    completeUser(claims.username, result, address);
    return user;
}

int64_t ApiAuthenticator::tokenLifetime(std::string_view requested) const {
    if (requested.empty()) return kDefaultTokenLifetime;
    int64_t seconds = 0;
    std::string_view digits = requested;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
        throw ApiError(400, kCodeInvalidRequest,
                       "invalid token-lifetime : strconv.ParseInt: parsing \"" +
                           std::string(requested) + "\": invalid syntax");
    if (seconds <= 0) return kDefaultTokenLifetime;
    if (seconds > _settings.maxTokenLifetimeSeconds)
        throw ApiError(400, kCodeInvalidRequest,
                       "requested token lifetime exceeds max allowed " +
                           std::to_string(_settings.maxTokenLifetimeSeconds));
    return seconds;
}

std::string ApiAuthenticator::issueToken(const ApiUser& user, int64_t lifetimeSeconds,
                                         const http::HttpRequest& request,
                                         const std::string& address) {
    const int64_t now = unixNanos();
    const std::string* agent = request.header("User-Agent");
    auth::TokenClaims claims;
    claims.username = user.username;
    claims.sessionId = _sessions.create(user.username, lifetimeSeconds * 1000000000,
                                        agent ? *agent : "", address, now);
    claims.scopes = auth::fullLoginScopes();
    claims.jti = randomJti();
    claims.issuedAt = now / 1000000000;
    // The session decides how long the token lives (token-lifetime, pushed
    // on by every use); exp is the ceiling no use can move.
    claims.expiresAt = claims.issuedAt + _settings.maxTokenLifetimeSeconds;
    return _signer.sign(claims);
}

void ApiAuthenticator::revoke(const http::HttpRequest& request, const std::string& address) {
    // The original's answers: 400 for every token that cannot be revoked.
    const std::string* header = request.header("Authorization");
    std::optional<std::string_view> token = header ? bearerToken(*header) : std::nullopt;
    if (!token || token->empty())
        throw ApiError(400, kCodeInvalidRequest, "authorization Bearer token required");
    const int64_t now = unixNanos();
    auth::TokenSigner::Reading reading = _signer.read(*token, now / 1000000000);
    if (reading.verdict == auth::TokenSigner::Verdict::Malformed ||
        reading.verdict == auth::TokenSigner::Verdict::Forged) {
        if (reading.verdict == auth::TokenSigner::Verdict::Forged)
            _throttle.recordFailure(reading.claims.username, address, net::monotonicMillis());
        throw ApiError(400, kCodeInvalidToken, "token is invalid: " + reading.reason);
    }
    // The session usually expires long before the token's own exp (set to
    // the longest lifetime a login may ask for): an expired session that has
    // not been swept yet ended its login as surely as a logout did.
    std::optional<auth::ApiSessions::Session> session = _sessions.find(reading.claims.sessionId);
    if (reading.verdict == auth::TokenSigner::Verdict::Expired || !session ||
        session->expiresAt <= now || !_sessions.remove(reading.claims.sessionId))
        throw ApiError(400, kCodeInvalidToken, "token is invalid or expired");
}

}  // namespace rportd::api
