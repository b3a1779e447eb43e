#pragma once
// base64url without padding (RFC 4648 §5), the only encoding ACME uses for
// binary values: JWS parts, thumbprints, tokens, CSRs, ARI certificate ids.
#include <optional>
#include <string>
#include <string_view>

namespace rport::plugins::acme {

std::string base64UrlEncode(std::string_view bytes);

// The bytes, or nullopt when the text has a character outside the alphabet,
// padding, or a length no encoder produces.
std::optional<std::string> base64UrlDecode(std::string_view text);

// True for a non-empty text of base64url characters only: what ACME tokens
// and nonces must look like before they are put into a URL path or a header.
bool isBase64UrlText(std::string_view text);

}  // namespace rport::plugins::acme
