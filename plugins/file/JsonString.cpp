#include "JsonString.h"

namespace rport::plugins::file_auth {
namespace {

bool needsEscape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

void appendEscaped(std::string& out, char c) {
    static const char hex[] = "0123456789abcdef";
    switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
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
        default:
            out += "\\u00";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
    }
}

}  // namespace

void appendJsonString(std::string& out, const std::string& text) {
    out += '"';
    // Copies runs of ordinary characters in one go; they are nearly all of a
    // file, and files are rewritten whole on every change.
    size_t runStart = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (!needsEscape(text[i])) continue;
        out.append(text, runStart, i - runStart);
        appendEscaped(out, text[i]);
        runStart = i + 1;
    }
    out.append(text, runStart, std::string::npos);
    out += '"';
}

}  // namespace rport::plugins::file_auth
