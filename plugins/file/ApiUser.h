#pragma once
// One entry of the API users file ([api] auth_file).
#include <rport/types.hpp>
#include <string>
#include <vector>

namespace rport::plugins::file_auth {

// The attributes an API user record carries besides id, secret and groups.
inline constexpr const char* kPasswordExpiredAttribute = "password_expired";  // "true" / "false"
inline constexpr const char* kTwoFaSendToAttribute = "two_fa_send_to";        // only when set

struct ApiUser {
    std::string username;
    std::string passwordHash;         // bcrypt: $2y$, $2b$ or $2a$
    std::vector<std::string> groups;  // as the file lists them
    bool passwordExpired = false;
    std::string twoFaSendTo;  // "" = not set
    // Kept only so that rewriting the file does not lose a user's TOTP set-up;
    // never handed to the host.
    std::string totpSecret;
};

inline const std::string& idOf(const ApiUser& u) noexcept { return u.username; }

// The record the host receives: the hash as a hashed secret, the groups, and
// the attributes above. Never the TOTP secret.
sdk::AuthRecord recordOf(const ApiUser& u);

}  // namespace rport::plugins::file_auth
