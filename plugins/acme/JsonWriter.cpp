#include "JsonWriter.h"

namespace rport::plugins::acme {

std::string jsonString(std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 15];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

std::string jsonStringArray(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += jsonString(items[i]);
    }
    return out + "]";
}

JsonObject& JsonObject::member(std::string_view key, std::string_view json) {
    if (!_members.empty()) _members += ',';
    _members += jsonString(key);
    _members += ':';
    _members += json;
    return *this;
}

JsonObject& JsonObject::string(std::string_view key, std::string_view value) {
    return member(key, jsonString(value));
}

JsonObject& JsonObject::boolean(std::string_view key, bool value) {
    return member(key, value ? "true" : "false");
}

JsonObject& JsonObject::raw(std::string_view key, std::string_view json) {
    return member(key, json);
}

}  // namespace rport::plugins::acme
