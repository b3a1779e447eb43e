#include "api/handlers/ClientsHandlers.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <cctype>

#include "api/ApiError.h"
#include "api/ApiResponse.h"
#include "api/query/FilterMatch.h"
#include "api/query/ListOptions.h"
#include "util/JsonWriter.h"
#include "util/QuotedText.h"
#include "util/TimeText.h"

namespace rportd::api {

namespace {

using clients::Client;
using clients::ClientView;

// What fields[clients] may name (the original's OptionsSupportedFields).
const std::set<std::string>& offeredFields() {
    static const std::set<std::string> all = {"id",
                                              "name",
                                              "os",
                                              "os_arch",
                                              "os_family",
                                              "os_kernel",
                                              "hostname",
                                              "ipv4",
                                              "ipv6",
                                              "tags",
                                              "labels",
                                              "version",
                                              "address",
                                              "tunnels",
                                              "disconnected_at",
                                              "last_heartbeat_at",
                                              "connection_state",
                                              "client_auth_id",
                                              "os_full_name",
                                              "os_version",
                                              "os_virtualization_system",
                                              "os_virtualization_role",
                                              "cpu_family",
                                              "cpu_model",
                                              "cpu_model_name",
                                              "cpu_vendor",
                                              "timezone",
                                              "num_cpus",
                                              "mem_total",
                                              "allowed_user_groups",
                                              "updates_status",
                                              "ip_addresses",
                                              "client_configuration",
                                              "groups"};
    return all;
}

const std::set<std::string>& filterColumns() {
    static const std::set<std::string> all = {"id",
                                              "name",
                                              "os",
                                              "os_arch",
                                              "os_family",
                                              "os_kernel",
                                              "os_full_name",
                                              "os_version",
                                              "os_virtualization_system",
                                              "os_virtualization_role",
                                              "cpu_family",
                                              "cpu_model",
                                              "cpu_model_name",
                                              "cpu_vendor",
                                              "num_cpus",
                                              "timezone",
                                              "hostname",
                                              "ipv4",
                                              "ipv6",
                                              "tags",
                                              "labels",
                                              "version",
                                              "address",
                                              "client_auth_id",
                                              "allowed_user_groups",
                                              "groups",
                                              "connection_state"};
    return all;
}

const char* connectionState(const Client& c) {
    return c.connected() ? "connected" : "disconnected";
}

void writeTime(util::JsonWriter& w, const std::optional<int64_t>& nanos) {
    if (nanos)
        w.value(util::rfc3339NanoUtc(*nanos));
    else
        w.null();
}

// A column's texts for filtering (see query/FilterMatch.h).
std::vector<std::string> columnTexts(const ClientView& view, const std::string& column) {
    const Client& c = *view.record;
    auto list = [](const clients::StringList& l) { return l ? *l : std::vector<std::string>{}; };
    if (column == "id") return {c.id};
    if (column == "name") return {c.name};
    if (column == "os") return {c.os};
    if (column == "os_arch") return {c.osArch};
    if (column == "os_family") return {c.osFamily};
    if (column == "os_kernel") return {c.osKernel};
    if (column == "os_full_name") return {c.osFullName};
    if (column == "os_version") return {c.osVersion};
    if (column == "os_virtualization_system") return {c.osVirtualizationSystem};
    if (column == "os_virtualization_role") return {c.osVirtualizationRole};
    if (column == "cpu_family") return {c.cpuFamily};
    if (column == "cpu_model") return {c.cpuModel};
    if (column == "cpu_model_name") return {c.cpuModelName};
    if (column == "cpu_vendor") return {c.cpuVendor};
    if (column == "num_cpus") return {std::to_string(c.numCpus)};
    if (column == "timezone") return {c.timezone};
    if (column == "hostname") return {c.hostname};
    if (column == "ipv4") return list(c.ipv4);
    if (column == "ipv6") return list(c.ipv6);
    if (column == "tags") return list(c.tags);
    if (column == "allowed_user_groups") return list(c.allowedUserGroups);
    if (column == "version") return {c.version};
    if (column == "address") return {c.address};
    if (column == "client_auth_id") return {c.clientAuthId};
    if (column == "connection_state") return {connectionState(c)};
    if (column == "labels") {
        std::vector<std::string> out;
        if (c.labels)
            for (const auto& [k, v] : *c.labels) out.push_back(k + ": " + v);
        return out;
    }
    return {};  // groups: client groups do not exist yet
}

// Administrators see everything; anyone else a client that names one of
// their groups in allowed_user_groups.
bool mayAccess(const ApiUser* user, const Client& c) {
    if (!user || user->isAdministrator()) return true;
    if (!c.allowedUserGroups) return false;
    for (const auto& g : user->groups)
        if (std::find(c.allowedUserGroups->begin(), c.allowedUserGroups->end(), g) !=
            c.allowedUserGroups->end())
            return true;
    return false;
}

// The client of the path, checked the way the original's access middleware
// does before any handler runs: unknown → 404, not allowed → 403.
ClientView accessibleClient(ApiContext& ctx, clients::ClientRegistry& registry) {
    const std::string& id = ctx.param("client_id");
    auto view = registry.find(id);
    if (!view) throw ApiError(404, kCodeClientNotFound, "Client with id=\"" + id + "\" not found.");
    if (!mayAccess(ctx.user, *view->record))
        throw ApiError(403, kCodeForbidden, "Access denied to client(s) with ID(s): " + id);
    return *view;
}

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// The original compares lower-cased values and breaks ties by id.
void sortClients(std::vector<ClientView>& list, const std::vector<SortOption>& sorts) {
    std::string column = sorts.empty() ? "id" : sorts.front().column;
    bool descending = !sorts.empty() && sorts.front().descending;
    auto key = [&column](const Client& c) -> const std::string& {
        if (column == "name") return c.name;
        if (column == "os") return c.os;
        if (column == "hostname") return c.hostname;
        if (column == "version") return c.version;
        return c.id;
    };
    struct Keyed {
        std::string key, id;
        ClientView view;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(list.size());
    for (auto& v : list)
        keyed.push_back({lower(key(*v.record)), lower(v.record->id), std::move(v)});
    std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
        if (a.key != b.key) return a.key < b.key;
        if (a.id != b.id) return a.id < b.id;
        return a.view.record->id < b.view.record->id;
    });
    if (descending) std::reverse(keyed.begin(), keyed.end());
    list.clear();
    for (auto& k : keyed) list.push_back(std::move(k.view));
}

}  // namespace

std::string renderClient(const ClientView& view,
                         const std::optional<std::set<std::string>>& fields) {
    const Client& c = *view.record;
    util::JsonWriter w;
    auto want = [&fields](const char* name) { return !fields || fields->count(name) > 0; };
    w.beginObject();
    if (want("id")) w.key("id").value(c.id);
    if (want("name")) w.key("name").value(c.name);
    if (want("address")) w.key("address").value(c.address);
    if (want("hostname")) w.key("hostname").value(c.hostname);
    if (want("os")) w.key("os").value(c.os);
    if (want("os_full_name")) w.key("os_full_name").value(c.osFullName);
    if (want("os_version")) w.key("os_version").value(c.osVersion);
    if (want("os_arch")) w.key("os_arch").value(c.osArch);
    if (want("os_family")) w.key("os_family").value(c.osFamily);
    if (want("os_kernel")) w.key("os_kernel").value(c.osKernel);
    if (want("os_virtualization_system"))
        w.key("os_virtualization_system").value(c.osVirtualizationSystem);
    if (want("os_virtualization_role"))
        w.key("os_virtualization_role").value(c.osVirtualizationRole);
    if (want("num_cpus")) w.key("num_cpus").value(c.numCpus);
    if (want("cpu_family")) w.key("cpu_family").value(c.cpuFamily);
    if (want("cpu_model")) w.key("cpu_model").value(c.cpuModel);
    if (want("cpu_model_name")) w.key("cpu_model_name").value(c.cpuModelName);
    if (want("cpu_vendor")) w.key("cpu_vendor").value(c.cpuVendor);
    if (want("mem_total")) w.key("mem_total").value(c.memoryTotal);
    if (want("timezone")) w.key("timezone").value(c.timezone);
    if (want("client_auth_id")) w.key("client_auth_id").value(c.clientAuthId);
    if (want("version")) w.key("version").value(c.version);
    if (want("disconnected_at")) writeTime(w.key("disconnected_at"), c.disconnectedAt);
    if (want("last_heartbeat_at")) writeTime(w.key("last_heartbeat_at"), view.lastHeartbeatAt);
    if (want("connection_state")) w.key("connection_state").value(connectionState(c));
    if (want("ipv4")) clients::gojson::writeStringList(w.key("ipv4"), c.ipv4);
    if (want("ipv6")) clients::gojson::writeStringList(w.key("ipv6"), c.ipv6);
    if (want("tags")) clients::gojson::writeStringList(w.key("tags"), c.tags);
    if (want("allowed_user_groups"))
        clients::gojson::writeStringList(w.key("allowed_user_groups"), c.allowedUserGroups);
    if (want("tunnels")) w.key("tunnels").raw(c.tunnelsJson);
    if (want("updates_status")) w.key("updates_status").raw(c.updatesStatusJson);
    if (want("ip_addresses")) w.key("ext_ip_addresses").raw(c.ipAddressesJson);
    if (want("client_configuration")) w.key("client_configuration").raw(c.clientConfigurationJson);
    if (want("groups")) w.key("groups").beginArray().endArray();
    if (want("labels")) clients::gojson::writeLabels(w.key("labels"), c.labels);
    w.endObject();
    return w.take();
}

void addClientsRoutes(Router& router, clients::ClientRegistry& registry) {
    ListRules rules;
    rules.filterColumns = filterColumns();
    rules.sortColumns = {"id", "name", "os", "hostname", "version"};
    rules.defaultLimit = 50;
    rules.maxLimit = 500;
    rules.fields = {{"clients", offeredFields()}};

    router.add(
        "GET", "/api/v1/clients", Access::Authenticated,
        [&registry, rules](ApiContext& ctx) {
            ListOptions options = parseListOptions(ctx.query);
            Page page = validateListOptions(options, rules);
            if (options.sorts.size() > 1)
                throw ApiError(400, kCodeInvalidRequest,
                               "Only one sort field is supported for clients.");
            std::optional<std::set<std::string>> fields = requestedFields(options, "clients");
            if (!fields) fields = std::set<std::string>{"id", "name", "hostname"};

            std::vector<ClientView> matching;
            for (auto& view : registry.list()) {
                if (!mayAccess(ctx.user, *view.record)) continue;
                bool hit = matchesFilters(
                    options.filters, rules.filterColumns,
                    [&view](const std::string& column) { return columnTexts(view, column); });
                if (hit) matching.push_back(std::move(view));
            }
            sortClients(matching, options.sorts);

            const uint64_t total = matching.size();
            const uint64_t start = std::min(page.offset, total);
            const uint64_t end = std::min(start + std::min(page.limit, total), total);
            util::JsonWriter w;
            w.beginObject().key("data").beginArray();
            for (uint64_t i = start; i < end; ++i) w.raw(renderClient(matching[i], fields));
            w.endArray()
                .key("meta")
                .beginObject()
                .key("count")
                .value(total)
                .endObject()
                .endObject();
            sendJson(ctx.response, 200, w.str());
        },
        /*nonBlocking=*/true);

    router.add(
        "GET", "/api/v1/clients/{client_id}", Access::Authenticated,
        [&registry](ApiContext& ctx) {
            ClientView view = accessibleClient(ctx, registry);
            ListOptions options = parseListOptions(ctx.query);
            auto problems = fieldsProblems(options.fields, {{"clients", offeredFields()}});
            if (!problems.empty()) throw ApiError(400, std::move(problems));
            sendJson(ctx.response, 200,
                     "{\"data\":" + renderClient(view, requestedFields(options, "clients")) + "}");
        },
        /*nonBlocking=*/true);

    router.add(
        "DELETE", "/api/v1/clients/{client_id}", Access::Authenticated,
        [&registry](ApiContext& ctx) {
            ClientView view = accessibleClient(ctx, registry);
            const std::string& id = view.record->id;
            switch (registry.removeDisconnected(id)) {
                case clients::ClientRegistry::RemoveResult::Connected:
                    throw ApiError(400, kCodeClientConnected,
                                   "Client is active, should be disconnected");
                case clients::ClientRegistry::RemoveResult::NotFound:
                    throw ApiError(404, kCodeClientNotFound,
                                   "Client with id=\"" + id + "\" not found.");
                case clients::ClientRegistry::RemoveResult::Removed:
                    break;
            }
            Poco::Logger::get("api-listener").debug("Client %s deleted.", util::quotedForLog(id));
            sendEmpty(ctx.response, 204);
        });
}

}  // namespace rportd::api
