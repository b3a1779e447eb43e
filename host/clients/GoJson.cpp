#include "clients/GoJson.h"

#include <cerrno>
#include <cstdlib>
#include <type_traits>

namespace rportd::clients::gojson {

namespace json = util::json;

namespace {

const char* kindName(json::Kind k) {
    switch (k) {
        case json::Kind::Null:
            return "null";
        case json::Kind::Bool:
            return "bool";
        case json::Kind::Number:
            return "number";
        case json::Kind::String:
            return "string";
        case json::Kind::Array:
            return "array";
        case json::Kind::Object:
            return "object";
    }
    return "value";
}

[[noreturn]] void wrongType(const std::string& field, json::Kind got, const std::string& want) {
    throw TypeError("cannot read " + std::string(kindName(got)) + " into field " + field +
                    " of type " + want);
}

template <typename T>
void readInteger(const std::string& field, std::string_view v, T& out) {
    json::Kind k = json::kindOf(v);
    if (k == json::Kind::Null) return;
    const char* want = std::is_signed<T>::value ? "int" : "uint64";
    if (k != json::Kind::Number) wrongType(field, k, want);
    std::string text(v);
    bool integral = text.find_first_of(".eE") == std::string::npos;
    if (!std::is_signed<T>::value && !text.empty() && text[0] == '-') integral = false;
    errno = 0;
    char* end = nullptr;
    T value = 0;
    if (integral) {
        if (std::is_signed<T>::value)
            value = static_cast<T>(std::strtoll(text.c_str(), &end, 10));
        else
            value = static_cast<T>(std::strtoull(text.c_str(), &end, 10));
    }
    if (!integral || errno == ERANGE || end != text.c_str() + text.size())
        throw TypeError("cannot read number " + text + " into field " + field + " of type " + want);
    out = value;
}

}  // namespace

bool keyMatches(std::string_view key, std::string_view name) {
    if (key.size() != name.size()) return false;
    for (size_t i = 0; i < key.size(); ++i) {
        char x = key[i], y = name[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

void readString(const std::string& field, std::string_view v, std::string& out) {
    json::Kind k = json::kindOf(v);
    if (k == json::Kind::Null) return;
    if (k != json::Kind::String) wrongType(field, k, "string");
    out = json::decodeString(v);
}

void readInt(const std::string& field, std::string_view v, int64_t& out) {
    readInteger(field, v, out);
}
void readUint(const std::string& field, std::string_view v, uint64_t& out) {
    readInteger(field, v, out);
}

void readStringList(const std::string& field, std::string_view v, StringList& out) {
    json::Kind k = json::kindOf(v);
    if (k == json::Kind::Null) {
        out.reset();
        return;
    }
    if (k != json::Kind::Array) wrongType(field, k, "[]string");
    std::vector<std::string> items;
    for (std::string_view e : json::elements(v)) {
        std::string item;
        readString(field + "[]", e, item);
        items.push_back(std::move(item));
    }
    out = std::move(items);
}

void readLabels(const std::string& field, std::string_view v, Labels& out) {
    json::Kind k = json::kindOf(v);
    if (k == json::Kind::Null) {
        out.reset();
        return;
    }
    if (k != json::Kind::Object) wrongType(field, k, "map[string]string");
    // Go decodes into the map already there: a repeated key adds to it.
    if (!out) out.emplace();
    for (const auto& [key, value] : json::members(v)) {
        std::string text;
        readString(field + "." + key, value, text);
        (*out)[key] = std::move(text);
    }
}

void readRaw(const std::string& field, std::string_view v, json::Kind allowed, std::string& out) {
    json::Kind k = json::kindOf(v);
    if (k != json::Kind::Null && k != allowed) wrongType(field, k, kindName(allowed));
    out = json::compact(v);
}

void writeStringList(util::JsonWriter& w, const StringList& list) {
    if (list)
        w.stringArray(*list);
    else
        w.null();
}

void writeLabels(util::JsonWriter& w, const Labels& labels) {
    if (!labels) {
        w.null();
        return;
    }
    w.beginObject();
    for (const auto& [key, value] : *labels) w.key(key).value(value);
    w.endObject();
}

}  // namespace rportd::clients::gojson
