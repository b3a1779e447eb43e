#pragma once
// What a handler answers. The server frames it: it adds Content-Length, Date
// (unless the handler set one) and Connection when needed, and ignores any
// Content-Length, Transfer-Encoding or Connection header set here, because the
// framing on the wire must match what the server actually sends.
#include <string>
#include <utility>
#include <vector>

namespace rportd::http {

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool closeConnection = false;  // close after this response even if keep-alive was possible
};

}  // namespace rportd::http
