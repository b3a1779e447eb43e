#include "http/HttpSyntax.h"

#include <cstring>

namespace rportd::http {

bool isTokenChar(char c) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
    return u != 0 && std::strchr("!#$%&'*+-.^_`|~", u) != nullptr;
}

bool isToken(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!isTokenChar(c)) return false;
    }
    return true;
}

bool isFieldValueChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7F);
}

std::string_view trimOws(std::string_view text) {
    while (!text.empty() && isOws(text.front())) text.remove_prefix(1);
    while (!text.empty() && isOws(text.back())) text.remove_suffix(1);
    return text;
}

static char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    }
    return true;
}

bool listContainsToken(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view element = trimOws(list.substr(0, comma));
        if (equalsIgnoreCase(element, token)) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

namespace {

int hexDigitValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool isAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// unreserved / sub-delims (RFC 3986 2.2-2.3): the literal bytes of a reg-name.
bool isRegNameChar(char c) { return isAlnum(c) || (c != 0 && std::strchr("-._~!$&'()*+,;=", c) != nullptr); }

// Whether every byte is allowed by `allowed` or starts a valid %XX escape.
template <typename Allowed>
bool isPctEncodedText(std::string_view text, Allowed allowed) {
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (text.size() - i < 3) return false;
            if (hexDigitValue(text[i + 1]) < 0 || hexDigitValue(text[i + 2]) < 0) return false;
            i += 2;
        } else if (!allowed(text[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

size_t quotedStringLength(std::string_view text) {
    if (text.empty() || text.front() != '"') return 0;
    for (size_t i = 1; i < text.size(); ++i) {
        auto u = static_cast<unsigned char>(text[i]);
        if (u == '"') return i + 1;
        if (u == '\\') {
            // quoted-pair: "\" ( HTAB / SP / VCHAR / obs-text )
            if (++i == text.size()) return 0;
            auto escaped = static_cast<unsigned char>(text[i]);
            if (escaped != '\t' && (escaped < 0x20 || escaped == 0x7F)) return 0;
        } else if (u != '\t' && (u < 0x20 || u == 0x7F)) {
            // qdtext: HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            return 0;
        }
    }
    return 0;  // no closing quote
}

bool isValidHostPort(std::string_view text, bool allowEmptyHost) {
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        size_t close = text.find(']');
        if (close == std::string_view::npos) return false;
        host = text.substr(0, close + 1);
        std::string_view after = text.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            port = after.substr(1);
        }
        // IPv6address / IPvFuture (and an RFC 6874 zone as %25...): hex digits,
        // colons, dots and the reg-name bytes; the brackets keep it apart from the port.
        std::string_view inside = host.substr(1, host.size() - 2);
        if (inside.empty() || !isPctEncodedText(inside, [](char c) { return isRegNameChar(c) || c == ':'; }))
            return false;
    } else {
        size_t colon = text.find(':');
        if (colon != std::string_view::npos) {
            host = text.substr(0, colon);
            port = text.substr(colon + 1);
        }
        if (!isPctEncodedText(host, isRegNameChar)) return false;
        if (host.empty() && !allowEmptyHost) return false;
    }
    for (char c : port) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

bool percentDecode(std::string_view text, std::string& out) {
    out.clear();
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (text.size() - i < 3) return false;
        int high = hexDigitValue(text[i + 1]);
        int low = hexDigitValue(text[i + 2]);
        if (high < 0 || low < 0) return false;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return true;
}

}  // namespace rportd::http
