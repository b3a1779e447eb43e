#pragma once
// One parsed HTTP/1.x request as the handler sees it. The server fills it in;
// it is only valid for the duration of the handler call (the connection reuses
// the object for its next request).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rportd::http {

struct HttpRequest {
    std::string method;  // "GET"
    // The request-target in origin-form, not decoded, e.g.
    // "/api/v1/clients-auth?filter%5Bid%5D=a"; "*" for "OPTIONS *". An
    // absolute-form target ("http://host:3000/x?y") arrives here as "/x?y".
    std::string target;
    // The target as received when it was in absolute-form; empty otherwise.
    std::string absoluteTarget;
    // Host and port the request is addressed to: the authority of an
    // absolute-form target, which takes precedence over Host (RFC 9112
    // 3.2.2), else the Host field's value; empty if neither (HTTP/1.0).
    std::string authority;

    // The target up to the first '?', not percent-decoded.
    std::string_view path() const;
    // The target after the first '?' (without it), not decoded; empty if none.
    std::string_view query() const;

    int versionMinor = 1;  // 0 or 1: only HTTP/1.x reaches a handler

    // Case-insensitive lookup of the first field with this name; nullptr if absent.
    const std::string* header(std::string_view name) const;
    std::vector<std::pair<std::string, std::string>> headers;  // in arrival order, values trimmed

    std::string body;  // complete: Content-Length bytes or the de-chunked data
    // The body exceeded HttpServerOptions::maxBodyBytes: body is empty, the bytes
    // were not read, and the connection closes after the response.
    bool bodyTooLarge = false;

    std::string peerAddress;  // "127.0.0.1", "::1"
    uint16_t peerPort = 0;
};

}  // namespace rportd::http
