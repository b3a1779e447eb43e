#pragma once
// One entry of the client-auth file.
#include <rport/types.hpp>
#include <string>

namespace rport::plugins::file_auth {

// A client-auth id and its password exactly as the file holds it: plaintext or
// a bcrypt hash. The store never interprets the secret; the host tells the two
// apart (RPORT_SECRET_AUTO) and compares in constant time.
struct Credential {
    std::string id;
    std::string secret;
};

inline const std::string& idOf(const Credential& c) noexcept { return c.id; }

// The record the host receives for an entry.
inline sdk::AuthRecord recordOf(const Credential& c) {
    sdk::AuthRecord r;
    r.id = c.id;
    r.secret = c.secret;
    // The host checks bcrypt entries with crypt, others in constant time.
    r.secretKind = RPORT_SECRET_AUTO;
    return r;
}

}  // namespace rport::plugins::file_auth
