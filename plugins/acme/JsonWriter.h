#pragma once
// The JSON ACME requests are made of, written byte for byte as we mean them:
// a JWS signs the exact text, and RFC 7638 thumbprints need members in
// lexicographic order without whitespace, so no library reorders or
// re-escapes anything here ('/' stays '/').
#include <string>
#include <string_view>
#include <vector>

namespace rport::plugins::acme {

// A quoted JSON string: '"', '\' and control characters escaped, everything
// else (UTF-8 included) copied as is.
std::string jsonString(std::string_view text);

// ["a","b"]
std::string jsonStringArray(const std::vector<std::string>& items);

// An object whose members appear in the order they are added.
class JsonObject {
public:
    JsonObject& string(std::string_view key, std::string_view value);
    JsonObject& boolean(std::string_view key, bool value);
    // value must already be JSON (an object, an array, a number).
    JsonObject& raw(std::string_view key, std::string_view json);
    std::string text() const { return "{" + _members + "}"; }

private:
    JsonObject& member(std::string_view key, std::string_view json);
    std::string _members;
};

}  // namespace rport::plugins::acme
