#pragma once
// Checking a presented secret against a credential record that a backend
// handed out through get(): bcrypt for hashes, constant time for plaintext.
#include <rport/types.hpp>
#include <string>
#include <string_view>

namespace rportd::plugin_host {

enum class VerifyResult {
    Match,        // the secret is right
    Mismatch,     // wrong secret
    UnknownId,    // no such id; the host may try another backend
    Unavailable,  // the backend is down: fail closed
    Error,        // the record cannot be checked (unsupported hash, withheld secret, plugin error)
};

const char* toString(VerifyResult result) noexcept;

// secretKind decides: HASHED is a crypt(3) bcrypt hash; AUTO is bcrypt when it
// starts with $2y$/$2b$/$2a$ and plaintext otherwise; PLAIN is plaintext even
// if it looks like a hash; WITHHELD cannot be checked here (Error). An empty
// stored secret never matches: a record without a password must not open the
// door to an empty one. why, when given, receives the reason for Error.
VerifyResult checkSecret(const rport::sdk::AuthRecord& record, std::string_view presented,
                         std::string* why = nullptr);

}  // namespace rportd::plugin_host
