#pragma once
// Parsing of the "id:password" strings of [server] auth and [api] auth.
#include <optional>
#include <string>
#include <string_view>

namespace rport::plugins::static_auth {

struct Credential {
    std::string id;
    std::string secret;
};

// Splits at the first colon, so the password may itself contain colons.
// Returns nullopt when there is no colon or either side is empty.
std::optional<Credential> parseCredential(std::string_view text);

}  // namespace rport::plugins::static_auth
