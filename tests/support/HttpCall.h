#pragma once
// One HTTP request to a server on 127.0.0.1, the way curl -u would send it.
#include <cstdint>
#include <string>

namespace rport::test {

struct HttpReply {
    int status = 0;
    std::string body;
    std::string contentType;
};

HttpReply httpCall(uint16_t port, const std::string& method, const std::string& path, const std::string& user = "",
                   const std::string& password = "", const std::string& body = "",
                   const std::string& contentType = "application/json");

// The text with every byte but letters, digits and -_.~ as %XX: one path segment.
std::string percentEncoded(const std::string& text);

// The first error's field ("code", "title", "detail") of an error body, or "".
std::string errorField(const std::string& body, const std::string& field);

}  // namespace rport::test
