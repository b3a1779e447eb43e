#include "CredentialRenderer.h"

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

void appendJsonString(std::string& out, const std::string& text) {
    out += '"';
    // Copies runs of ordinary characters in one go; they are nearly all of a
    // credentials file, and the file is rewritten whole on every change.
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

}  // namespace

std::string renderCredentialText(const std::vector<Credential>& entries) {
    if (entries.empty()) return "{}\n";
    std::string out;
    size_t estimate = 4;
    for (const auto& e : entries) estimate += e.id.size() + e.secret.size() + 8;
    out.reserve(estimate);
    out += "{\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        out += '\t';
        appendJsonString(out, entries[i].id);
        out += ": ";
        appendJsonString(out, entries[i].secret);
        out += i + 1 < entries.size() ? ",\n" : "\n";
    }
    out += "}\n";
    return out;
}

}  // namespace rport::plugins::file_auth
