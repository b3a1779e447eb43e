#include "ws/Handshake.h"

#include <openssl/evp.h>

#include "http/HttpSyntax.h"

namespace rportd::ws {

namespace {

// RFC 6455 1.3: appended to the client's key before hashing.
constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// 16 bytes in base64 are 22 characters and "==": nothing else decodes to 16.
bool isSixteenBytesBase64(std::string_view key) {
    if (key.size() != 24 || key.substr(22) != "==") return false;
    for (char c : key.substr(0, 22)) {
        if (!isBase64Char(c)) return false;
    }
    return true;
}

// Calls f with each comma-separated, trimmed, non-empty element of every
// field with this name (a list may be split over several fields).
template <typename F>
void forEachListElement(const http::HttpRequest& request, std::string_view name, F f) {
    for (const auto& [field, value] : request.headers) {
        if (!http::equalsIgnoreCase(field, name)) continue;
        std::string_view rest(value);
        while (!rest.empty()) {
            const size_t comma = rest.find(',');
            std::string_view element = http::trimOws(rest.substr(0, comma));
            if (!element.empty()) f(element);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
}

bool listHas(const http::HttpRequest& request, std::string_view name, std::string_view token) {
    bool found = false;
    forEachListElement(request, name, [&](std::string_view element) {
        found = found || http::equalsIgnoreCase(element, token);
    });
    return found;
}

size_t fieldCount(const http::HttpRequest& request, std::string_view name) {
    size_t count = 0;
    for (const auto& field : request.headers) count += http::equalsIgnoreCase(field.first, name);
    return count;
}

UpgradeRequest refuse(UpgradeRequest::Verdict verdict, std::string problem) {
    UpgradeRequest result;
    result.verdict = verdict;
    result.problem = std::move(problem);
    return result;
}

}  // namespace

bool UpgradeRequest::offers(std::string_view protocol) const {
    for (const std::string& offered : protocols) {
        if (offered == protocol) return true;  // subprotocol names are case-sensitive
    }
    return false;
}

UpgradeRequest inspectUpgrade(const http::HttpRequest& request) {
    using Verdict = UpgradeRequest::Verdict;
    if (!listHas(request, "Upgrade", "websocket"))
        return refuse(Verdict::NotWebSocket, "no 'websocket' in the Upgrade header");
    if (request.method != "GET")
        return refuse(Verdict::Malformed, "a WebSocket upgrade must be a GET");
    if (request.versionMinor < 1)
        return refuse(Verdict::Malformed, "a WebSocket upgrade needs HTTP/1.1");
    if (!listHas(request, "Connection", "upgrade"))
        return refuse(Verdict::Malformed, "no 'upgrade' in the Connection header");
    const std::string* version = request.header("Sec-WebSocket-Version");
    if (!version || fieldCount(request, "Sec-WebSocket-Version") != 1 || *version != "13")
        return refuse(Verdict::BadVersion, "Sec-WebSocket-Version is not 13");
    const std::string* key = request.header("Sec-WebSocket-Key");
    if (!key || fieldCount(request, "Sec-WebSocket-Key") != 1 || !isSixteenBytesBase64(*key))
        return refuse(Verdict::Malformed, "Sec-WebSocket-Key is not 16 bytes in base64");
    UpgradeRequest result;
    result.verdict = Verdict::Valid;
    result.key = *key;
    forEachListElement(request, "Sec-WebSocket-Protocol",
                       [&](std::string_view element) { result.protocols.emplace_back(element); });
    return result;
}

std::string acceptKey(std::string_view key) {
    std::string input(key);
    input += kAcceptGuid;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestSize = 0;
    EVP_Digest(input.data(), input.size(), digest, &digestSize, EVP_sha1(), nullptr);
    // base64 of 20 bytes is 28 characters, plus the terminator EVP writes.
    unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    const int length = EVP_EncodeBlock(encoded, digest, static_cast<int>(digestSize));
    return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length));
}

void acceptUpgrade(http::HttpResponse& response, const UpgradeRequest& request, SessionFactory next,
                   std::string_view protocol) {
    response.status = 101;
    response.body.clear();
    response.headers.clear();
    response.headers.emplace_back("Upgrade", "websocket");
    response.headers.emplace_back("Connection", "Upgrade");
    response.headers.emplace_back("Sec-WebSocket-Accept", acceptKey(request.key));
    if (!protocol.empty()) response.headers.emplace_back("Sec-WebSocket-Protocol", protocol);
    response.upgrade = std::move(next);
}

void rejectUpgrade(http::HttpResponse& response, const UpgradeRequest& request) {
    response.headers.clear();
    response.upgrade = nullptr;
    if (request.verdict == UpgradeRequest::Verdict::BadVersion) {
        // RFC 9110 15.5.22: a 426 names the protocol to switch to.
        response.status = 426;
        response.headers.emplace_back("Upgrade", "websocket");
        response.headers.emplace_back("Sec-WebSocket-Version", "13");
    } else {
        response.status = 400;
    }
    response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    response.body = "websocket: " + request.problem + "\n";
}

}  // namespace rportd::ws
