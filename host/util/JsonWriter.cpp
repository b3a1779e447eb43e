#include "util/JsonWriter.h"

#include "util/Utf8.h"

namespace rportd::util {

void JsonWriter::appendEscaped(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const Utf8Char ch = utf8CharAt(s, i);
            if (ch.length == 0) {
                out += "\\ufffd";
                ++i;
                continue;
            }
            // U+2028 and U+2029 break JavaScript string literals; Go escapes them.
            if (ch.codePoint == 0x2028)
                out += "\\u2028";
            else if (ch.codePoint == 0x2029)
                out += "\\u2029";
            else
                out.append(s.data() + i, ch.length);
            i += ch.length;
            continue;
        }
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
