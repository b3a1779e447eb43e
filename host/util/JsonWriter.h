#pragma once
// A compact JSON writer whose output matches the original Go server byte for
// byte: no whitespace, keys in the order written, and Go's escaping (<, >, &,
// U+2028, U+2029 as \u escapes; invalid UTF-8 as U+FFFD). Poco::JSON's
// stringifier escapes differently (e.g. '/'), which would change responses
// that scripts compare, so responses are written with this instead.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::util {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(int64_t n);
    JsonWriter& value(uint64_t n);
    JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
    JsonWriter& null();
    // Inserts already-encoded JSON as one value.
    JsonWriter& raw(std::string_view json);
    JsonWriter& stringArray(const std::vector<std::string>& items);

    const std::string& str() const { return _out; }
    std::string take() { return std::move(_out); }

    static void appendEscaped(std::string& out, std::string_view s);

private:
    void separate();

    std::string _out;
    std::vector<bool> _hasItems;  // one entry per open object/array
    bool _afterKey = false;
};

}  // namespace rportd::util
