#pragma once
// Reading JSON text in place: members, elements, string values and compact
// copies of sub-values, as spans of the original text.
//
// Parts of what rport clients send (their configuration, their tunnel
// requests) are kept and shown again as they came, and the `details` column
// of clients.db mixes typed fields with such parts. Going through a parsed
// tree would re-encode them (Poco escapes '/', numbers come back as
// doubles), so these are read and kept as text instead.
//
// Everything except validate() expects text validate() accepted; on other
// text the results are unspecified (but memory-safe).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rportd::util::json {

enum class Kind { Null, Bool, Number, String, Array, Object };

// Throws std::invalid_argument (with the parser's reason) unless text is one
// well-formed JSON value, optionally surrounded by whitespace.
void validate(std::string_view text);

Kind kindOf(std::string_view value);

// The members of an object in document order: decoded key, value span.
std::vector<std::pair<std::string, std::string_view>> members(std::string_view object);
// The elements of an array.
std::vector<std::string_view> elements(std::string_view array);

// The value of a string literal ("a\u00e9" -> "aé"). Broken surrogates become
// U+FFFD, as Go's decoder does.
std::string decodeString(std::string_view literal);

// The value without whitespace between tokens; strings are kept byte for byte.
std::string compact(std::string_view value);

}  // namespace rportd::util::json
