#include "http/ErrorBody.h"

namespace rportd::http {

namespace {

// The titles are the server's own constants, but escaping keeps the document
// valid whatever a future caller passes.
void appendJsonString(std::string& out, std::string_view text) {
    static const char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace

std::string jsonErrorBody(std::string_view code, std::string_view title) {
    std::string body = R"({"errors":[{"code":)";
    appendJsonString(body, code);
    body += R"(,"title":)";
    appendJsonString(body, title);
    body += R"(,"detail":""}]})";
    return body;
}

}  // namespace rportd::http
