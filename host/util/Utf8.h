#pragma once
// Reading UTF-8 strictly (RFC 3629): overlong forms, surrogates and values
// past U+10FFFF are not UTF-8. Text from peers is checked with this before it
// is stored or shown as characters.
#include <cstddef>
#include <string_view>

namespace rportd::util {

struct Utf8Char {
    char32_t codePoint = 0;
    size_t length = 0;  // bytes; 0 when the bytes at that position are not UTF-8
};

// The character that starts at text[at] (at < text.size()).
Utf8Char utf8CharAt(std::string_view text, size_t at);

bool isUtf8(std::string_view text);

}  // namespace rportd::util
