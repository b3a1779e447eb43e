#pragma once
// Whether a client's version string is one the original accepts for a
// reconnecting client (hashicorp/go-version 1.5's NewVersion), and its error
// text when not: "Malformed version: <v>" or "Error parsing version: ...".
#include <optional>
#include <string>
#include <string_view>

namespace rportd::clients {

// nullopt when the version parses.
std::optional<std::string> versionError(std::string_view version);

}  // namespace rportd::clients
