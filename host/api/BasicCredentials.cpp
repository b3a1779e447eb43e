#include "api/BasicCredentials.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/String.h>

#include <cctype>
#include <iterator>
#include <sstream>

namespace rportd::api {

std::optional<BasicCredentials> parseBasicAuthorization(std::string_view header) {
    size_t space = header.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    if (Poco::icompare(std::string(header.substr(0, space)), "basic") != 0) return std::nullopt;
    std::string_view encoded = header.substr(space + 1);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    // Poco's decoder skips characters outside the alphabet; a header with
    // any is not base64 and is refused instead.
    for (char c : encoded)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return std::nullopt;

    std::string decoded;
    try {
        std::istringstream in{std::string(encoded)};
        Poco::Base64Decoder decoder(in);
        decoded.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    size_t colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

}  // namespace rportd::api
