#include "Whitespace.h"

#include <cstdint>

namespace rport::plugins::file_auth {
namespace {

bool isSpace(uint32_t c) noexcept {
    switch (c) {
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case ' ':
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200A;
    }
}

// The code point that starts at text[0] and its length in bytes; malformed
// sequences count as one byte that is not white space.
uint32_t firstCodePoint(std::string_view text, size_t& length) noexcept {
    const auto lead = static_cast<unsigned char>(text[0]);
    length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 0;
    // None of the white space characters needs four bytes.
    if (length == 0 || length > text.size()) {
        length = 1;
        return 0xFFFD;
    }
    uint32_t c = length == 1 ? lead : lead & (length == 2 ? 0x1Fu : 0x0Fu);
    for (size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[i]);
        if ((next & 0xC0) != 0x80) {
            length = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (next & 0x3Fu);
    }
    return c;
}

// The start of the code point that ends at text[end - 1].
size_t lastCodePointStart(std::string_view text, size_t end) noexcept {
    size_t start = end - 1;
    while (start > 0 && end - start < 3 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        --start;
    return start;
}

}  // namespace

std::string_view trimSpace(std::string_view text) noexcept {
    size_t length = 0;
    while (!text.empty() && isSpace(firstCodePoint(text, length))) text.remove_prefix(length);
    while (!text.empty()) {
        const size_t start = lastCodePointStart(text, text.size());
        const std::string_view last = text.substr(start);
        // A sequence that does not decode as exactly the bytes to the end is not white space.
        if (!isSpace(firstCodePoint(last, length)) || length != last.size()) break;
        text.remove_suffix(last.size());
    }
    return text;
}

}  // namespace rport::plugins::file_auth
