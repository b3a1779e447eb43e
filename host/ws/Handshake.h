#pragma once
// The opening handshake (RFC 6455 4.2) on the server's side: whether an HTTP
// request is a valid WebSocket upgrade, which subprotocols it offers, and
// the answers: 101 with the accept key, 426 for a version we do not speak,
// 400 for the rest. Which path, which subprotocol and whether to accept at
// all is the listener's policy, not decided here.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

namespace rportd::net {
class Session;
}

namespace rportd::ws {

struct UpgradeRequest {
    enum class Verdict {
        Valid,
        NotWebSocket,  // no "Upgrade: websocket" at all: an ordinary request
        BadVersion,    // Sec-WebSocket-Version is missing or not 13
        Malformed,     // asks for a WebSocket but breaks a rule of 4.2.1
    };
    Verdict verdict = Verdict::Malformed;
    std::string problem;  // why it is not Valid, for a log line
    std::string key;      // Sec-WebSocket-Key as sent
    // Sec-WebSocket-Protocol: every offered subprotocol, trimmed, in order.
    std::vector<std::string> protocols;

    bool valid() const { return verdict == Verdict::Valid; }
    bool offers(std::string_view protocol) const;
};

UpgradeRequest inspectUpgrade(const http::HttpRequest& request);

// Sec-WebSocket-Accept for a key: base64(SHA-1(key + the RFC's GUID)).
std::string acceptKey(std::string_view key);

using SessionFactory = std::function<std::unique_ptr<net::Session>()>;

// Turns `response` into the 101 for a valid request; the connection then
// runs the session `next` makes. `protocol`, when not empty, is echoed as
// the chosen subprotocol and must be one the request offered.
void acceptUpgrade(http::HttpResponse& response, const UpgradeRequest& request, SessionFactory next,
                   std::string_view protocol = {});

// Turns `response` into the refusal for an invalid request: 426 with
// "Sec-WebSocket-Version: 13" for BadVersion, 400 otherwise; the body says
// why in one line.
void rejectUpgrade(http::HttpResponse& response, const UpgradeRequest& request);

}  // namespace rportd::ws
