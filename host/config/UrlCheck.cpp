#include "config/UrlCheck.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

#include "config/Text.h"

namespace rportd::config {
namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigitChar(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return isAlpha(c) || isDigitChar(c); }
bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int hexValue(char c) {
    if (isDigitChar(c)) return c - '0';
    return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

bool hasControlByte(const std::string& text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) return true;
    }
    return false;
}

// A scheme is letters, then letters/digits/+-. up to a ':'. Returns false only
// for the one hard error: a ':' in first position.
bool splitScheme(const std::string& text, std::string& scheme, std::string& rest) {
    scheme.clear();
    rest = text;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isAlpha(c)) continue;
        if (isDigitChar(c) || c == '+' || c == '-' || c == '.') {
            if (i == 0) return true;
            continue;
        }
        if (c == ':') {
            if (i == 0) return false;
            scheme = text.substr(0, i);
            rest = text.substr(i + 1);
        }
        return true;
    }
    return true;
}

// Checks %XX escapes; in a host only escapes of non-ASCII bytes (and %25) are allowed.
bool checkEscapes(const std::string& text, bool inHost, std::string& error) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') continue;
        if (i + 2 >= text.size() || !isHex(text[i + 1]) || !isHex(text[i + 2])) {
            error = "invalid URL escape " + goQuote(text.substr(i, 3));
            return false;
        }
        if (inHost && hexValue(text[i + 1]) < 8 && text.compare(i, 3, "%25") != 0) {
            error = "invalid URL escape " + goQuote(text.substr(i, 3));
            return false;
        }
        i += 2;
    }
    return true;
}

bool allowedInHost(char c) {
    if (static_cast<unsigned char>(c) >= 0x80 || isAlnum(c)) return true;
    return std::strchr("!$&'()*+,;=:[]<>\"-_.~%", c) != nullptr;
}

bool allowedInUserinfo(char c) {
    return isAlnum(c) || std::strchr("-._:~!$&'()*+,;=%@", c) != nullptr;
}

bool isOptionalPort(const std::string& colonPort) {
    if (colonPort.empty()) return true;
    if (colonPort[0] != ':') return false;
    for (std::size_t i = 1; i < colonPort.size(); ++i) {
        if (!isDigitChar(colonPort[i])) return false;
    }
    return true;
}

bool checkHost(const std::string& host, std::string& error) {
    if (!host.empty() && host[0] == '[') {
        const auto close = host.rfind(']');
        if (close == std::string::npos) {
            error = "missing ']' in host";
            return false;
        }
        const std::string colonPort = host.substr(close + 1);
        if (!isOptionalPort(colonPort)) {
            error = "invalid port " + goQuote(colonPort) + " after host";
            return false;
        }
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
        const std::string colonPort = host.substr(colon);
        if (!isOptionalPort(colonPort)) {
            error = "invalid port " + goQuote(colonPort) + " after host";
            return false;
        }
    }
    if (!checkEscapes(host, true, error)) return false;
    for (char c : host) {
        if (!allowedInHost(c)) {
            error = "invalid character " + goQuote(std::string(1, c)) + " in host name";
            return false;
        }
    }
    return true;
}

std::optional<UrlParts> parseCommon(const std::string& text, bool asRequest, std::string& error) {
    auto fail = [&](const std::string& reason) -> std::optional<UrlParts> {
        error = "parse " + goQuote(text) + ": " + reason;
        return std::nullopt;
    };
    // A plain parse treats everything after '#' as a fragment; a request URI does not.
    std::string rawUrl = text;
    if (!asRequest) rawUrl = rawUrl.substr(0, rawUrl.find('#'));

    if (hasControlByte(rawUrl)) return fail("net/url: invalid control character in URL");
    if (rawUrl.empty() && asRequest) return fail("empty url");
    UrlParts parts;
    if (rawUrl == "*") {
        parts.path = "*";
        return parts;
    }
    std::string rest;
    if (!splitScheme(rawUrl, parts.scheme, rest)) return fail("missing protocol scheme");
    parts.scheme = toLowerAscii(parts.scheme);
    rest = rest.substr(0, rest.find('?'));

    const bool rooted = !rest.empty() && rest[0] == '/';
    if (!rooted) {
        if (!parts.scheme.empty()) return parts;  // opaque form such as "mailto:x"
        if (asRequest) return fail("invalid URI for request");
        const std::string firstSegment = rest.substr(0, rest.find('/'));
        if (firstSegment.find(':') != std::string::npos)
            return fail("first path segment in URL cannot contain colon");
    }
    const bool hasAuthority = rest.rfind("//", 0) == 0 &&
                              (!parts.scheme.empty() || (!asRequest && rest.rfind("///", 0) != 0));
    if (hasAuthority) {
        std::string authority = rest.substr(2);
        rest.clear();
        if (const auto slash = authority.find('/'); slash != std::string::npos) {
            rest = authority.substr(slash);
            authority.resize(slash);
        }
        const auto at = authority.rfind('@');
        const std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
        if (!checkHost(host, error)) return fail(error);
        if (at != std::string::npos) {
            const std::string userinfo = authority.substr(0, at);
            for (char c : userinfo) {
                if (!allowedInUserinfo(c)) return fail("net/url: invalid userinfo");
            }
            if (!checkEscapes(userinfo, false, error)) return fail(error);
        }
        parts.host = host;
    }
    if (!checkEscapes(rest, false, error)) return fail(error);
    parts.path = rest;
    return parts;
}

}  // namespace

std::optional<UrlParts> parseUrl(const std::string& text, std::string& error) {
    return parseCommon(text, false, error);
}

std::optional<UrlParts> parseRequestUri(const std::string& text, std::string& error) {
    return parseCommon(text, true, error);
}

std::string checkHttpUrl(const std::string& text) {
    std::string error;
    const auto parts = parseRequestUri(text, error);
    if (!parts) return "invalid url " + text + ": " + error;
    if (parts->scheme != "http" && parts->scheme != "https")
        return "invalid url " + text + ": schema must be http or https";
    if (parts->host.empty()) return "invalid url " + text + ", must be absolute url";
    return {};
}

std::string hostWithoutPort(const std::string& host) {
    if (!host.empty() && host[0] == '[') {
        const auto close = host.find(']');
        return close == std::string::npos ? host.substr(1) : host.substr(1, close - 1);
    }
    return host.substr(0, host.find(':'));
}

bool isIpAddress(const std::string& text) {
    unsigned char buffer[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool isDnsName(const std::string& text) {
    if (text.empty() || isIpAddress(text)) return false;
    std::size_t withoutDots = 0;
    for (char c : text) withoutDots += c != '.';
    if (withoutDots > 255) return false;

    // Labels: first char letter/digit/'_', then up to 62 of letter/digit/'_'/'-'.
    // One trailing '.' or '_' is tolerated.
    std::string body = text;
    if (body.back() == '.' || body.back() == '_') {
        const std::string trimmed = body.substr(0, body.size() - 1);
        // Only strip when what is left still forms valid labels on its own.
        if (!trimmed.empty()) body = trimmed;
    }
    std::size_t start = 0;
    while (true) {
        const auto dot = body.find('.', start);
        const std::string label =
            body.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (label.empty() || label.size() > 63) return false;
        if (!(isAlnum(label[0]) || label[0] == '_')) return false;
        for (char c : label) {
            if (!(isAlnum(c) || c == '_' || c == '-')) return false;
        }
        if (dot == std::string::npos) return true;
        start = dot + 1;
    }
}

}  // namespace rportd::config
