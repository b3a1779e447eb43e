#pragma once
// Small text helpers shared by the config loader and its checks.
#include <string>
#include <string_view>
#include <vector>

namespace rportd::config {

std::string toLowerAscii(std::string_view text);

// Strips spaces, tabs and line breaks from both ends.
std::string trimBlanks(std::string_view text);

// Quotes text the way Go's %q does, because several messages users match on
// were produced that way by the original server (e.g. `got "x"`).
std::string goQuote(std::string_view text);

// Splits one comma-separated record. Double-quoted fields may contain commas
// ("" is a literal quote); every field is trimmed. Throws std::invalid_argument
// on a stray or unterminated quote.
std::vector<std::string> splitCsvRecord(std::string_view text);

}  // namespace rportd::config
