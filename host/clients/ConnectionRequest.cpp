#include "clients/ConnectionRequest.h"

#include <functional>
#include <vector>

#include "util/JsonText.h"
#include "util/JsonWriter.h"

namespace rportd::clients {

namespace json = util::json;

namespace {

// What a client's password is shown as.
constexpr const char* kRedacted = "********";

// The client's configuration carries its password twice ([client] auth and
// auth_pass). The original stores and shows both in clear to every API user;
// here the password is replaced before anything keeps it. The id in `auth`
// stays: it tells an admin which credential the client was given.
std::string withoutClientSecrets(std::string_view configuration) {
    if (json::kindOf(configuration) != json::Kind::Object) return std::string(configuration);
    util::JsonWriter w;
    w.beginObject();
    for (const auto& [key, value] : json::members(configuration)) {
        w.key(key);
        if (key != "client" || json::kindOf(value) != json::Kind::Object) {
            w.raw(value);
            continue;
        }
        w.beginObject();
        for (const auto& [field, setting] : json::members(value)) {
            w.key(field);
            bool secret = (field == "auth" || field == "auth_pass") &&
                          json::kindOf(setting) == json::Kind::String;
            std::string text = secret ? json::decodeString(setting) : std::string();
            if (!secret || text.empty()) {
                w.raw(setting);
            } else if (field == "auth") {
                size_t colon = text.find(':');
                w.value(colon == std::string::npos ? kRedacted
                                                   : text.substr(0, colon + 1) + kRedacted);
            } else {
                w.value(kRedacted);
            }
        }
        w.endObject();
    }
    w.endObject();
    return w.take();
}

using Reader =
    std::function<void(ConnectionRequest&, const std::string& field, std::string_view value)>;

struct Field {
    const char* name;
    Reader read;
};

template <std::string ConnectionRequest::*Member>
Field text(const char* name) {
    return {name, [](ConnectionRequest& r, const std::string& f, std::string_view v) {
                gojson::readString(f, v, r.*Member);
            }};
}

template <StringList ConnectionRequest::*Member>
Field list(const char* name) {
    return {name, [](ConnectionRequest& r, const std::string& f, std::string_view v) {
                gojson::readStringList(f, v, r.*Member);
            }};
}

const std::vector<Field>& fields() {
    using R = ConnectionRequest;
    static const std::vector<Field> all = {
        text<&R::id>("ID"),
        text<&R::name>("Name"),
        text<&R::sessionId>("SessionID"),
        text<&R::os>("OS"),
        text<&R::osFullName>("OSFullName"),
        text<&R::osVersion>("OSVersion"),
        text<&R::osVirtualizationSystem>("OSVirtualizationSystem"),
        text<&R::osVirtualizationRole>("OSVirtualizationRole"),
        text<&R::osArch>("OSArch"),
        text<&R::osFamily>("OSFamily"),
        text<&R::osKernel>("OSKernel"),
        text<&R::version>("Version"),
        text<&R::hostname>("Hostname"),
        text<&R::cpuFamily>("CPUFamily"),
        text<&R::cpuModel>("CPUModel"),
        text<&R::cpuModelName>("CPUModelName"),
        text<&R::cpuVendor>("CPUVendor"),
        {"NumCPUs",
         [](R& r, const std::string& f, std::string_view v) { gojson::readInt(f, v, r.numCpus); }},
        {"MemoryTotal", [](R& r, const std::string& f,
                           std::string_view v) { gojson::readUint(f, v, r.memoryTotal); }},
        text<&R::timezone>("Timezone"),
        list<&R::ipv4>("IPv4"),
        list<&R::ipv6>("IPv6"),
        list<&R::tags>("Tags"),
        {"Labels", [](R& r, const std::string& f,
                      std::string_view v) { gojson::readLabels(f, v, r.labels); }},
        {"Remotes",
         [](R& r, const std::string& f, std::string_view v) {
             gojson::readRaw(f, v, json::Kind::Array, r.remotesJson);
             // Each remote is an object (or null); its fields are read when
             // tunnels are started.
             if (json::kindOf(v) == json::Kind::Array)
                 for (std::string_view e : json::elements(v)) {
                     json::Kind k = json::kindOf(e);
                     if (k != json::Kind::Null && k != json::Kind::Object)
                         throw gojson::TypeError(
                             "cannot read a non-object into an element of field " + f);
                 }
         }},
        {"ClientConfiguration",
         [](R& r, const std::string& f, std::string_view v) {
             gojson::readRaw(f, v, json::Kind::Object, r.clientConfigurationJson);
             r.clientConfigurationJson = withoutClientSecrets(r.clientConfigurationJson);
         }},
    };
    return all;
}

const Field* fieldFor(const std::string& key) {
    for (const auto& f : fields())
        if (key == f.name) return &f;
    for (const auto& f : fields())
        if (gojson::keyMatches(key, f.name)) return &f;
    return nullptr;
}

}  // namespace

ConnectionRequest parseConnectionRequest(std::string_view text) {
    try {
        json::validate(text);
    } catch (const std::invalid_argument& e) {
        throw ConnectionRequestError(std::string("malformed JSON: ") + e.what());
    }
    ConnectionRequest request;
    json::Kind k = json::kindOf(text);
    if (k == json::Kind::Null) return request;  // Go leaves the struct as it was
    if (k != json::Kind::Object) throw ConnectionRequestError("the request is not a JSON object");
    try {
        for (const auto& [key, value] : json::members(text))
            if (const Field* f = fieldFor(key)) f->read(request, f->name, value);
    } catch (const gojson::TypeError& e) {
        throw ConnectionRequestError(e.what());
    }
    return request;
}

}  // namespace rportd::clients
