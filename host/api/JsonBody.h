#pragma once
// Reading a JSON request body the way the original does (bodies are objects,
// unknown fields are refused), with the [api] max_request_bytes limit applied
// before anything is parsed: an oversized body is answered and never read.
#include <Poco/JSON/Object.h>

#include <cstddef>
#include <initializer_list>
#include <string>

#include "api/ApiContext.h"

namespace rportd::api {

// Throws ApiError 400: "Missing body with json data." for an empty body or
// a form-encoded one (the detail says to send JSON), "Invalid JSON data."
// (detail = why) for bad JSON, text that is not UTF-8, a member name with a
// NUL in it, a non-object, or a body over limit bytes (code
// ERR_CODE_REQUEST_TOO_LARGE; the connection closes). A body of null is read
// as {}, as the original's decoder does.
Poco::JSON::Object::Ptr readJsonObject(ApiContext& ctx, size_t limit);

// Throws "Invalid JSON data." naming the first field not in allowed.
void rejectUnknownFields(const Poco::JSON::Object& body,
                         std::initializer_list<const char*> allowed);

// The string field name: "" when absent or null; throws "Invalid JSON data."
// naming the field when it holds another type.
std::string stringField(const Poco::JSON::Object& body, const std::string& name);

}  // namespace rportd::api
