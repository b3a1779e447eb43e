#include "LogText.h"

namespace rport::plugins::acme {

std::string printable(std::string_view text, size_t maxBytes) {
    static const char hex[] = "0123456789abcdef";
    const bool cut = text.size() > maxBytes;
    if (cut) {
        text = text.substr(0, maxBytes);
        // Do not end inside a UTF-8 sequence.
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
            text.remove_suffix(1);
        if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.remove_suffix(1);
    }
    std::string out;
    out.reserve(text.size() + (cut ? 3 : 0));
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    if (cut) out += "\xE2\x80\xA6";
    return out;
}

}  // namespace rport::plugins::acme
