#include "util/JsonWriter.h"

namespace rportd::util {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
size_t utf8SequenceLength(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return n;
}

}  // namespace

void JsonWriter::appendEscaped(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            size_t n = utf8SequenceLength(s, i);
            if (n == 0) {
                out += "\\ufffd";
                ++i;
                continue;
            }
            // U+2028 and U+2029 break JavaScript string literals; Go escapes them.
            if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
                out += (s[i + 2] == '\xA8') ? "\\u2028" : "\\u2029";
            } else {
                out.append(s.data() + i, n);
            }
            i += n;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '<':
            case '>':
            case '&':
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    out += '"';
}

void JsonWriter::separate() {
    if (_afterKey) {
        _afterKey = false;
        return;
    }
    if (!_hasItems.empty()) {
        if (_hasItems.back()) _out += ',';
        _hasItems.back() = true;
    }
}

JsonWriter& JsonWriter::beginObject() {
    separate();
    _out += '{';
    _hasItems.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    _out += '}';
    _hasItems.pop_back();
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    separate();
    _out += '[';
    _hasItems.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    _out += ']';
    _hasItems.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    appendEscaped(_out, name);
    _out += ':';
    _afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    separate();
    appendEscaped(_out, s);
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    separate();
    _out += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
    separate();
    _out += std::to_string(n);
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t n) {
    separate();
    _out += std::to_string(n);
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    _out += "null";
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    _out.append(json);
    return *this;
}

JsonWriter& JsonWriter::stringArray(const std::vector<std::string>& items) {
    beginArray();
    for (const auto& s : items) value(s);
    return endArray();
}

}  // namespace rportd::util
