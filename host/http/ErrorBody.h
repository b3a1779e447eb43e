#pragma once
// The JSON error document the rportd API uses everywhere, for the answers the
// HTTP layer gives on its own (protocol errors, a handler that threw):
// {"errors":[{"code":"<code>","title":"<title>","detail":""}]}
#include <string>
#include <string_view>

namespace rportd::http {

std::string jsonErrorBody(std::string_view code, std::string_view title);

}  // namespace rportd::http
