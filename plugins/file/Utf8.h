#pragma once
// Checks that text can travel through a JSON file unchanged.
#include <string_view>

namespace rport::plugins::file_auth {

// True for well-formed UTF-8 (no overlong forms, no surrogates, nothing above
// U+10FFFF) without NUL characters. The JSON parser rejects malformed UTF-8
// and cuts strings at NUL, so anything else written to the file would either
// make it unloadable or come back changed.
bool isStorableText(std::string_view text) noexcept;

}  // namespace rport::plugins::file_auth
