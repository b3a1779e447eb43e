#pragma once
// Who may try to log in right now. One rule for both doors (rport-behaviour
// §4.5 and §6.3): the API (a username, [api] user_login_wait,
// max_failed_login, ban_time) and the client listener (a client-auth id,
// [server] client_login_wait, max_failed_login, ban_time). A name that just
// failed waits the login wait before its next attempt (the API answers 429),
// and an address with max_failed_login failures in a row is banned for
// ban_time (answered 423).
//
// Unlike the original, the wait holds the name back only at the address that
// failed: keyed by name alone, anyone could keep a real user or client locked
// out by failing for its name every few seconds. Guessing from many
// addresses is what the per-address ban is for.
//
// Failures and bans are logged here, in one stable form that fail2ban can
// match (docs/security.md has the filter); the address comes first, before
// anything the peer chose, and the name is quoted and escaped:
//   info: security: failed login from 203.0.113.7 to the API as "bob"
//   warning: security: banned 203.0.113.7 for 600 s after 10 failed logins to the API
//
// Thread-safe: every event loop asks. The tables are bounded: entries that
// no longer matter are dropped as time passes, and when an attacker cycles
// through more ids or addresses than the bound, the oldest go first (which
// only ever makes a ban end early, never locks out someone innocent).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rportd::auth {

class LoginThrottle {
public:
    struct Settings {
        int64_t loginWaitMillis = 2000;  // 0: no wait
        int maxFailedLogins = 5;         // with banMillis > 0: ban after this many
        int64_t banMillis = 3600 * 1000;
        size_t maxEntries = 100000;    // per table
        std::string door = "the API";  // in log lines: "the API", "the client listener"
    };

    explicit LoginThrottle(Settings settings) : _settings(std::move(settings)) {}

    // Milliseconds the address stays banned, 0 when it is not.
    int64_t bannedFor(std::string_view address, int64_t nowMillis) const;
    // Milliseconds until the id may try again from this address, 0 when it may now.
    int64_t waitFor(std::string_view clientAuthId, std::string_view address,
                    int64_t nowMillis) const;

    // A wrong name or password: the name waits, the address counts a
    // failure, and both are logged. Returns true when this failure banned
    // the address.
    bool recordFailure(std::string_view clientAuthId, std::string_view address, int64_t nowMillis);
    // A success clears the address's count.
    void recordSuccess(std::string_view address);

    bool bansEnabled() const { return _settings.maxFailedLogins > 0 && _settings.banMillis > 0; }

private:
    struct AddressRecord {
        int failures = 0;
        int64_t bannedUntil = 0;
        int64_t lastFailure = 0;
    };
    void prune(int64_t nowMillis);
    static std::string idAtAddress(std::string_view clientAuthId, std::string_view address);

    Settings _settings;
    mutable std::mutex _mutex;
    std::unordered_map<std::string, int64_t> _idWaitUntil;
    std::unordered_map<std::string, AddressRecord> _addresses;
    int64_t _lastPrune = 0;
};

}  // namespace rportd::auth
