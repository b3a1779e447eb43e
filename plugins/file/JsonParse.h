#pragma once
// Runs Poco's JSON parser over the text of a file and turns its syntax errors
// into messages a person can act on (line and column).
#include <Poco/JSON/Handler.h>
#include <Poco/SharedPtr.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace rport::plugins::file_auth {

// Length of a UTF-8 byte order mark at the start of text (0 or 3). Some
// editors add one; the JSON parser would choke on it.
size_t byteOrderMarkLength(std::string_view text) noexcept;

// Feeds text (less a leading byte order mark) to handler. Throws
// FileFormatError("invalid JSON at line L, column C: <reason>") when the text
// is not JSON; whatever the handler makes of valid JSON is its own business.
void parseJsonText(const std::string& text, const Poco::SharedPtr<Poco::JSON::Handler>& handler);

}  // namespace rport::plugins::file_auth
