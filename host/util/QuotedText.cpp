#include "util/QuotedText.h"

#include <cstdio>

namespace rportd::util {

namespace {

std::string quote(std::string_view text, bool escapeNonAscii) {
    std::string out = "\"";
    for (char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\a':
                out += "\\a";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\v':
                out += "\\v";
                break;
            default:
                if (byte < 0x20 || byte == 0x7f || (escapeNonAscii && byte >= 0x80)) {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "\\x%02x", byte);
                    out += hex;
                } else {
                    out += ch;  // printable ASCII and UTF-8 sequences stay as they are
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace

std::string goQuote(std::string_view text) { return quote(text, false); }

std::string quotedForLog(std::string_view value, size_t maxBytes) {
    if (value.size() <= maxBytes) return quote(value, true);
    return quote(value.substr(0, maxBytes), true) + "...";
}

}  // namespace rportd::util
