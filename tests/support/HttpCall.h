#pragma once
// One HTTP request to a server on 127.0.0.1, the way curl -u would send it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rport::test {

struct HttpReply {
    int status = 0;
    std::string body;
    std::string contentType;
    std::vector<std::pair<std::string, std::string>> headers;
    // The first header of that name (case-insensitive), or "".
    std::string header(const std::string& name) const;
};

HttpReply httpCall(uint16_t port, const std::string& method, const std::string& path,
                   const std::string& user = "", const std::string& password = "",
                   const std::string& body = "",
                   const std::string& contentType = "application/json");

// The same with request headers of the caller's choice (Authorization,
// X-Forwarded-For, ...).
HttpReply httpCallWithHeaders(uint16_t port, const std::string& method, const std::string& path,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body = "",
                              const std::string& contentType = "application/json");

// The text with every byte but letters, digits and -_.~ as %XX: one path segment.
std::string percentEncoded(const std::string& text);

// The first error's field ("code", "title", "detail") of an error body, or "".
std::string errorField(const std::string& body, const std::string& field);

}  // namespace rport::test
