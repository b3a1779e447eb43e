#pragma once
// One entry of the client-auth file.
#include <string>

namespace rport::plugins::file_auth {

// A client-auth id and its password exactly as the file holds it: plaintext or
// a bcrypt hash. The store never interprets the secret; the host tells the two
// apart (RPORT_SECRET_AUTO) and compares in constant time.
struct Credential {
    std::string id;
    std::string secret;
};

}  // namespace rport::plugins::file_auth
