#include "api/JsonBody.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "api/ApiError.h"
#include "util/JsonText.h"
#include "util/Utf8.h"

namespace rportd::api {

namespace {

const char* kInvalidJson = "Invalid JSON data.";
const char* kMissingBody = "Missing body with json data.";

ApiError tooLarge(size_t limit) {
    ApiError e(400, kCodeRequestTooLarge, kInvalidJson,
               "request body too large: the limit is " + std::to_string(limit) +
                   " bytes ([api] max_request_bytes)");
    e.closeConnection();
    return e;
}

ApiError invalidJson(std::string detail) {
    return ApiError(400, kCodeInvalidRequest, kInvalidJson, std::move(detail));
}

// The media type of a Content-Type value, lower case, without parameters.
std::string mediaType(const std::string& contentType) {
    std::string type = contentType.substr(0, contentType.find(';'));
    type.erase(
        std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
        type.end());
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type;
}

// Poco's parser cuts member names at a NUL ("id\u0000" is read as "id"), so
// such a name would pass the unknown-field check and override the real
// member. Names are read here with our own decoder, which keeps every byte.
bool nulInMemberName(std::string_view value) {
    switch (util::json::kindOf(value)) {
        case util::json::Kind::Object:
            for (const auto& [name, member] : util::json::members(value))
                if (name.find('\0') != std::string::npos || nulInMemberName(member)) return true;
            return false;
        case util::json::Kind::Array:
            for (std::string_view element : util::json::elements(value))
                if (nulInMemberName(element)) return true;
            return false;
        default:
            return false;
    }
}

}  // namespace

Poco::JSON::Object::Ptr readJsonObject(ApiContext& ctx, size_t limit) {
    // The server stops reading a body over its limit (the same number) and
    // flags it; the size check here also covers a smaller limit.
    if (ctx.request.bodyTooLarge || ctx.request.body.size() > limit) throw tooLarge(limit);
    // curl --data without -H 'Content-Type: application/json' sends this.
    // The original read such a body as a form and then found no JSON; say
    // what happened instead, under the original's title.
    if (const std::string* type = ctx.request.header("Content-Type")) {
        const std::string media = mediaType(*type);
        if (media == "application/x-www-form-urlencoded" || media == "multipart/form-data")
            throw ApiError(400, kCodeInvalidRequest, kMissingBody,
                           "the body was sent as " + media +
                               "; send JSON with the header Content-Type: application/json");
    }
    const std::string& body = ctx.request.body;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(400, kCodeInvalidRequest, kMissingBody);

    if (!util::isUtf8(body)) throw invalidJson("the body is not UTF-8 text");
    try {
        util::json::validate(body);
    } catch (const std::invalid_argument& e) {
        throw invalidJson(e.what());
    }
    switch (util::json::kindOf(body)) {
        case util::json::Kind::Null:
            // What Go's decoder does with null: nothing, as with {}.
            return new Poco::JSON::Object;
        case util::json::Kind::Object:
            break;
        default:
            throw invalidJson("the body must be a JSON object");
    }
    if (nulInMemberName(body))
        throw invalidJson("a member name contains a NUL character (\\u0000)");

    Poco::Dynamic::Var parsed;
    try {
        parsed = Poco::JSON::Parser().parse(body);
    } catch (const Poco::Exception& e) {
        throw invalidJson(e.message().empty() ? e.displayText() : e.message());
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

void rejectUnknownFields(const Poco::JSON::Object& body,
                         std::initializer_list<const char*> allowed) {
    for (const auto& member : body) {
        // Not a structured binding: C++17 lets no lambda capture one (clang refuses).
        const std::string& name = member.first;
        bool known =
            std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
        if (!known) throw invalidJson("json: unknown field \"" + name + "\"");
    }
}

std::string stringField(const Poco::JSON::Object& body, const std::string& name) {
    if (!body.has(name) || body.isNull(name)) return "";
    Poco::Dynamic::Var v = body.get(name);
    if (!v.isString())
        throw invalidJson("json: cannot unmarshal a non-string into field \"" + name +
                          "\" of type string");
    return v.extract<std::string>();
}

}  // namespace rportd::api
