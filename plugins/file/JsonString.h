#pragma once
// Writing JSON strings, for the files the plugin rewrites.
#include <string>

namespace rport::plugins::file_auth {

// Appends text as a quoted JSON string: standard escapes for '"', '\' and
// control characters; everything else, non-ASCII included, is copied as is
// (the text was checked to be UTF-8 before it got this far).
void appendJsonString(std::string& out, const std::string& text);

}  // namespace rport::plugins::file_auth
