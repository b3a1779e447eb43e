#include "ApiUserFormat.h"

#include "ApiUserParser.h"

namespace rport::plugins::file_auth {

std::string ApiUserFormat::countOf(size_t n) const {
    return std::to_string(n) + (n == 1 ? " API user" : " API users");
}

ParsedFile ApiUserFormat::parse(const std::string& text) const {
    ParsedFile out;
    out.entries = std::make_shared<const ApiUserIndex>(parseApiUserText(text));
    return out;
}

}  // namespace rport::plugins::file_auth
