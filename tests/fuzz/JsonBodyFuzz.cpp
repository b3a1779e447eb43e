// Fuzzing the reading of JSON request bodies (api/JsonBody), and with it
// the in-place JSON reader (util/JsonText) that vets a body before Poco's
// parser builds the object handlers use. The first input byte picks the
// Content-Type and the size limit; the rest is the body. The checks besides
// the sanitizers: a body is accepted only when our reader calls it valid
// UTF-8 JSON; no accepted object has a member name with a NUL in it (Poco
// would cut the name there, letting "id\u0000" pass the unknown-field check
// and override "id"); both readers agree on the member names and on the
// value of every string member; compact() is stable and keeps the kind.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "FuzzEntry.h"
#include "api/ApiContext.h"
#include "api/ApiError.h"
#include "api/JsonBody.h"
#include "util/JsonText.h"
#include "util/Utf8.h"

using namespace rportd;

namespace {

bool nulInNames(const Poco::Dynamic::Var& value) {
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        for (const auto& [name, member] : *object)
            if (name.find('\0') != std::string::npos || nulInNames(member)) return true;
    } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        auto array = value.extract<Poco::JSON::Array::Ptr>();
        for (const auto& element : *array)
            if (nulInNames(element)) return true;
    }
    return false;
}

// Both readers' view of the top-level members: the last one of a name wins.
void compareMembers(const std::string& body, const Poco::JSON::Object& object) {
    std::map<std::string, std::string_view> ours;
    if (util::json::kindOf(body) == util::json::Kind::Object)
        for (const auto& [name, value] : util::json::members(body)) ours[name] = value;
    if (ours.size() != object.size()) abort();
    for (const auto& [name, value] : ours) {
        if (!object.has(name)) abort();
        if (util::json::kindOf(value) == util::json::Kind::String) {
            Poco::Dynamic::Var theirs = object.get(name);
            if (!theirs.isString() ||
                theirs.extract<std::string>() != util::json::decodeString(value))
                abort();
        }
    }
}

}  // namespace

int rportFuzzJsonBody(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    static const char* const kTypes[] = {nullptr,
                                         "application/json",
                                         "application/json; charset=utf-8",
                                         "application/x-www-form-urlencoded",
                                         "multipart/form-data; b=x",
                                         "text/plain"};
    http::HttpRequest request;
    if (const char* type = kTypes[data[0] % 6]) request.headers.emplace_back("Content-Type", type);
    request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    const size_t limit = (data[0] & 0x80) ? 64 : 10240;
    http::HttpResponse response;
    api::ApiContext ctx{request, response, {}, {}, nullptr, {}};

    bool ourReaderAccepts = util::isUtf8(request.body);
    if (ourReaderAccepts) {
        try {
            util::json::validate(request.body);
        } catch (const std::invalid_argument&) {
            ourReaderAccepts = false;
        }
    }
    if (ourReaderAccepts) {
        std::string once = util::json::compact(request.body);
        util::json::validate(once);  // throws (and fails the run) if compact broke it
        if (util::json::compact(once) != once) abort();
        if (util::json::kindOf(once) != util::json::kindOf(request.body)) abort();
    }

    Poco::JSON::Object::Ptr object;
    try {
        object = api::readJsonObject(ctx, limit);
    } catch (const api::ApiError& e) {
        if (e.status() != 400) abort();
        return 0;
    }
    if (!object || !ourReaderAccepts || request.body.size() > limit) abort();
    if (nulInNames(Poco::Dynamic::Var(object))) abort();
    compareMembers(request.body, *object);
    try {
        api::rejectUnknownFields(*object, {"username", "password"});
        api::stringField(*object, "username");
    } catch (const api::ApiError& e) {
        if (e.status() != 400) abort();
    }
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzJsonBody(data, size);
}
#endif
