#include "JsonReader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace rport::plugins::acme {

Poco::JSON::Object::Ptr parseJsonObject(const std::string& text, const std::string& what) {
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var root = parser.parse(text);
        if (root.type() == typeid(Poco::JSON::Object::Ptr)) {
            auto object = root.extract<Poco::JSON::Object::Ptr>();
            if (object) return object;
        }
    } catch (const Poco::Exception& e) {
        throw JsonError(what + " is not valid JSON (" + e.displayText() + ")");
    }
    throw JsonError(what + " is not a JSON object");
}

std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object || !object->has(key)) return "";
    const Poco::Dynamic::Var v = object->get(key);
    return v.isString() ? v.extract<std::string>() : "";
}

std::optional<int64_t> integerMember(const Poco::JSON::Object::Ptr& object,
                                     const std::string& key) {
    if (!object || !object->has(key)) return std::nullopt;
    const Poco::Dynamic::Var v = object->get(key);
    if (!v.isNumeric()) return std::nullopt;
    try {
        return v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

bool booleanMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    if (!object || !object->has(key)) return false;
    const Poco::Dynamic::Var v = object->get(key);
    return v.type() == typeid(bool) && v.extract<bool>();
}

Poco::JSON::Object::Ptr objectMember(const Poco::JSON::Object::Ptr& object,
                                     const std::string& key) {
    if (!object || !object->has(key)) return nullptr;
    return object->getObject(key);
}

std::vector<std::string> stringArrayMember(const Poco::JSON::Object::Ptr& object,
                                           const std::string& key) {
    std::vector<std::string> out;
    if (!object || !object->has(key)) return out;
    Poco::JSON::Array::Ptr array = object->getArray(key);
    if (!array) return out;
    for (size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var v = array->get(static_cast<unsigned>(i));
        if (v.isString()) out.push_back(v.extract<std::string>());
    }
    return out;
}

std::vector<Poco::JSON::Object::Ptr> objectArrayMember(const Poco::JSON::Object::Ptr& object,
                                                       const std::string& key) {
    std::vector<Poco::JSON::Object::Ptr> out;
    if (!object || !object->has(key)) return out;
    Poco::JSON::Array::Ptr array = object->getArray(key);
    if (!array) return out;
    for (size_t i = 0; i < array->size(); ++i) {
        Poco::JSON::Object::Ptr element = array->getObject(static_cast<unsigned>(i));
        if (element) out.push_back(element);
    }
    return out;
}

}  // namespace rport::plugins::acme
