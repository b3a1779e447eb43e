#pragma once
// Trimming white space the way the original server trims API user names and
// passwords (Go's strings.TrimSpace), so a file it accepts loads the same here.
#include <string_view>

namespace rport::plugins::file_auth {

// text without leading and trailing white space: ASCII space, tab, line feed,
// vertical tab, form feed and carriage return, plus the Unicode White_Space
// characters encoded in UTF-8 (NEL, no-break space, the U+2000 range...).
std::string_view trimSpace(std::string_view text) noexcept;

}  // namespace rport::plugins::file_auth
