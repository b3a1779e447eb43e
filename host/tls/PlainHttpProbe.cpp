#include "tls/PlainHttpProbe.h"

namespace rportd::tls {

namespace {

// Longer than any registered method ("UPDATEREDIRECTREF" is 17).
constexpr size_t kLongestMethod = 20;

bool isMethodCharacter(char c) {
    return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

std::string buildRejection() {
    const std::string body =
        R"({"errors":[{"code":"ERR_CODE_BAD_REQUEST","title":"Client sent an HTTP request to an HTTPS server.","detail":""}]})";
    return "HTTP/1.1 400 Bad Request\r\n"
           "Content-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) +
           "\r\n"
           "Connection: close\r\n"
           "\r\n" +
           body;
}

}  // namespace

bool looksLikePlainHttp(std::string_view firstBytes) {
    size_t length = 0;
    while (length < firstBytes.size() && length <= kLongestMethod && isMethodCharacter(firstBytes[length])) ++length;
    if (length == 0 || length > kLongestMethod) return false;
    if (length == firstBytes.size()) return true;  // cut short inside the token
    return firstBytes[length] == ' ';
}

const std::string& plainHttpRejection() {
    static const std::string response = buildRejection();
    return response;
}

}  // namespace rportd::tls
