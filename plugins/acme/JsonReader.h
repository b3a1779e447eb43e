#pragma once
// Reading what the ACME server sends: Poco::JSON does the parsing, these
// helpers make a missing or mistyped member an empty value instead of an
// exception, because the protocol code checks what it needs and says so in
// its own words.
#include <Poco/JSON/Object.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rport::plugins::acme {

class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The object in text; throws JsonError naming what (e.g. "the directory")
// when text is not a JSON object.
Poco::JSON::Object::Ptr parseJsonObject(const std::string& text, const std::string& what);

// The member as a string; "" when absent or not a string.
std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
// The member as a whole number; nullopt when absent or not a number.
std::optional<int64_t> integerMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
// The member as a boolean; false when absent or not a boolean.
bool booleanMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
// The member as an object; null when absent or not an object.
Poco::JSON::Object::Ptr objectMember(const Poco::JSON::Object::Ptr& object, const std::string& key);
// The strings of an array member; other elements are skipped.
std::vector<std::string> stringArrayMember(const Poco::JSON::Object::Ptr& object,
                                           const std::string& key);
// The objects of an array member; other elements are skipped.
std::vector<Poco::JSON::Object::Ptr> objectArrayMember(const Poco::JSON::Object::Ptr& object,
                                                       const std::string& key);

}  // namespace rport::plugins::acme
