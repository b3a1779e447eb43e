#include "util/LogText.h"

namespace rportd::util {

std::string quotedForLog(std::string_view value, size_t maxBytes) {
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (size_t i = 0; i < value.size() && i < maxBytes; ++i) {
        unsigned char c = static_cast<unsigned char>(value[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
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
                if (c >= 0x20 && c < 0x7f) {
                    out.push_back(static_cast<char>(c));
                } else {
                    out += "\\x";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 15]);
                }
        }
    }
    out.push_back('"');
    if (value.size() > maxBytes) out += "...";
    return out;
}

}  // namespace rportd::util
