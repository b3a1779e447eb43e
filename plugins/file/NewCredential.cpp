#include "NewCredential.h"

#include <rport/password.hpp>

#include "Utf8.h"

namespace rport::plugins::file_auth {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw sdk::Error(RPORT_E_INVALID, why); }

}  // namespace

Credential credentialToStore(const sdk::AuthRecord& record) {
    if (record.id.empty()) refuse("empty client auth id is not allowed");
    if (record.secret.empty()) refuse("empty password is not allowed");
    if (!isStorableText(record.id))
        refuse("the client auth id must be UTF-8 text without NUL characters");
    if (!isStorableText(record.secret))
        refuse("the password must be UTF-8 text without NUL characters");

    // The file has no field for the kind: a secret is read back as a bcrypt
    // hash exactly when it looks like one.
    const bool looksHashed = sdk::password::isBcryptHash(record.secret);
    switch (record.secretKind) {
        case RPORT_SECRET_AUTO:
            break;
        case RPORT_SECRET_PLAIN:
            if (looksHashed)
                refuse(
                    "a plaintext password that looks like a bcrypt hash cannot be stored in a "
                    "client auth file: "
                    "it would be read back as a hash");
            break;
        case RPORT_SECRET_HASHED:
            if (!looksHashed)
                refuse(
                    "only bcrypt hashes ($2y$, $2b$, $2a$) can be stored as hashed passwords in a "
                    "client auth "
                    "file; anything else would be read back as a plaintext password");
            break;
        case RPORT_SECRET_WITHHELD:
            refuse("a withheld secret cannot be stored in a client auth file");
        default:
            refuse("unknown secret kind " + std::to_string(record.secretKind));
    }
    return Credential{record.id, record.secret};
}

}  // namespace rport::plugins::file_auth
