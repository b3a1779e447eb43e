#pragma once
// What a handler answers. The server frames it: it adds Content-Length, Date
// (unless the handler set one) and Connection when needed, and ignores any
// Content-Length, Transfer-Encoding or Connection header set here, because the
// framing on the wire must match what the server actually sends.
//
// The one exception is a protocol switch: status 101 with `upgrade` set. The
// handler's headers (Upgrade, Connection: Upgrade, Sec-WebSocket-Accept, ...)
// go out as they are, and the connection then runs the session `upgrade`
// returns, starting with the bytes that followed the request.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rportd::net {
class Session;
}

namespace rportd::http {

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool closeConnection = false;  // close after this response even if keep-alive was possible
    std::function<std::unique_ptr<net::Session>()> upgrade;
};

}  // namespace rportd::http
