#include "StaticCredential.h"

namespace rport::plugins::static_auth {

std::optional<Credential> parseCredential(std::string_view text) {
    size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
    return Credential{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

}  // namespace rport::plugins::static_auth
