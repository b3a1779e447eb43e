#pragma once
// Reading JSON values into typed fields the way Go's encoding/json fills a
// struct, for the two documents the original's Go types define: a client's
// connection request and the `details` column of clients.db; and writing the
// two nullable types back the way Go renders them (the API and clients.db).
//
// The rules: null leaves the field as it was, a value of another type is an
// error, integers must be integral and in range, a nil slice or map stays
// distinct from an empty one. Keys match a field exactly or else ignoring
// (ASCII) case.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/JsonText.h"
#include "util/JsonWriter.h"

namespace rportd::clients {

// nullopt: null or absent (Go's nil slice or map), shown as null.
using StringList = std::optional<std::vector<std::string>>;
using Labels = std::optional<std::map<std::string, std::string>>;

namespace gojson {

// The value does not fit the field; the message names both.
class TypeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

bool keyMatches(std::string_view key, std::string_view fieldName);

void readString(const std::string& field, std::string_view value, std::string& out);
void readInt(const std::string& field, std::string_view value, int64_t& out);
void readUint(const std::string& field, std::string_view value, uint64_t& out);
void readStringList(const std::string& field, std::string_view value, StringList& out);
void readLabels(const std::string& field, std::string_view value, Labels& out);
// A value kept as compact JSON text: null or one of the allowed kinds.
void readRaw(const std::string& field, std::string_view value, util::json::Kind allowed,
             std::string& out);

// null for a nil list or map, as Go's encoder writes it.
void writeStringList(util::JsonWriter& w, const StringList& list);
void writeLabels(util::JsonWriter& w, const Labels& labels);

}  // namespace gojson
}  // namespace rportd::clients
