#include "api/JsonBody.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

#include "api/ApiError.h"

namespace rportd::api {

namespace {

const char* kInvalidJson = "Invalid JSON data.";

ApiError tooLarge(size_t limit) {
    ApiError e(400, kCodeRequestTooLarge, kInvalidJson,
               "request body too large: the limit is " + std::to_string(limit) + " bytes ([api] max_request_bytes)");
    e.closeConnection();
    return e;
}

}  // namespace

Poco::JSON::Object::Ptr readJsonObject(ApiContext& ctx, size_t limit) {
    // The server stops reading a body over its limit (the same number) and
    // flags it; the size check here also covers a smaller limit.
    if (ctx.request.bodyTooLarge || ctx.request.body.size() > limit) throw tooLarge(limit);
    const std::string& body = ctx.request.body;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(400, kCodeInvalidRequest, "Missing body with json data.");

    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body);
    } catch (const Poco::Exception& e) {
        throw ApiError(400, kCodeInvalidRequest, kInvalidJson, e.message().empty() ? e.displayText() : e.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw ApiError(400, kCodeInvalidRequest, kInvalidJson, "the body must be a JSON object");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

void rejectUnknownFields(const Poco::JSON::Object& body, std::initializer_list<const char*> allowed) {
    for (const auto& [name, value] : body) {
        (void)value;
        bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
        if (!known) throw ApiError(400, kCodeInvalidRequest, kInvalidJson, "json: unknown field \"" + name + "\"");
    }
}

std::string stringField(const Poco::JSON::Object& body, const std::string& name) {
    if (!body.has(name) || body.isNull(name)) return "";
    Poco::Dynamic::Var v = body.get(name);
    if (!v.isString())
        throw ApiError(400, kCodeInvalidRequest, kInvalidJson,
                       "json: cannot unmarshal a non-string into field \"" + name + "\" of type string");
    return v.extract<std::string>();
}

}  // namespace rportd::api
