#pragma once
// Small text helpers shared by the config loader and its checks.
#include <string>
#include <string_view>
#include <vector>

#include "util/QuotedText.h"

namespace rportd::config {

std::string toLowerAscii(std::string_view text);

// Strips spaces, tabs and line breaks from both ends.
std::string trimBlanks(std::string_view text);

// Go's %q (util/QuotedText.h): several messages users match on were
// produced that way by the original server (e.g. `got "x"`).
using util::goQuote;

// Splits one comma-separated record. Double-quoted fields may contain commas
// ("" is a literal quote); every field is trimmed. Throws std::invalid_argument
// on a stray or unterminated quote.
std::vector<std::string> splitCsvRecord(std::string_view text);

}  // namespace rportd::config
