#include "clients/ClientStore.h"

#include <functional>

#include "clients/GoJson.h"
#include "util/JsonText.h"
#include "util/JsonWriter.h"
#include "util/TimeText.h"

namespace rportd::clients {

namespace json = util::json;

namespace {

// The original's three migrations, as its golang-migrate applied them.
const char* const kSchema[] = {
    "CREATE TABLE clients (\n"
    "    id TEXT PRIMARY KEY NOT NULL,\n"
    "\tclient_auth_id TEXT NOT NULL,\n"
    "    disconnected_at DATETIME,\n"
    "\tdetails TEXT NOT NULL\n"
    ") WITHOUT ROWID",
    "CREATE INDEX idx_disconnected_client\n    ON clients (disconnected_at DESC, client_auth_id)",
    "CREATE INDEX idx_disconnected_time_client\n\tON clients (DATETIME(disconnected_at) DESC, "
    "client_auth_id)",
    "CREATE TABLE stored_tunnels (\n"
    "    id TEXT PRIMARY KEY NOT NULL,\n"
    "    client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,\n"
    "    created_at DATETIME,\n"
    "    name TEXT,\n"
    "    scheme TEXT,\n"
    "    remote_ip TEXT,\n"
    "    remote_port NUMBER,\n"
    "    acl TEXT\n"
    ")",
    "ALTER TABLE stored_tunnels ADD public_port NUMBER",
    "ALTER TABLE stored_tunnels ADD further_options TEXT",
    // golang-migrate's bookkeeping: the original migrates a file only when
    // this says it is older than version 3.
    "DROP TABLE IF EXISTS schema_migrations",
    "CREATE TABLE schema_migrations (version uint64,dirty bool)",
    "CREATE UNIQUE INDEX version_unique ON schema_migrations (version)",
    "INSERT INTO schema_migrations (version, dirty) VALUES (3, 'false')",
};

using DetailReader = std::function<void(Client&, const std::string& field, std::string_view value)>;

template <std::string Client::*Member>
std::pair<const char*, DetailReader> text(const char* key) {
    return {key, [](Client& c, const std::string& f, std::string_view v) {
                gojson::readString(f, v, c.*Member);
            }};
}
template <StringList Client::*Member>
std::pair<const char*, DetailReader> list(const char* key) {
    return {key, [](Client& c, const std::string& f, std::string_view v) {
                gojson::readStringList(f, v, c.*Member);
            }};
}
template <std::string Client::*Member, json::Kind Allowed>
std::pair<const char*, DetailReader> raw(const char* key) {
    return {key, [](Client& c, const std::string& f, std::string_view v) {
                gojson::readRaw(f, v, Allowed, c.*Member);
            }};
}

const std::vector<std::pair<const char*, DetailReader>>& detailFields() {
    using C = Client;
    static const std::vector<std::pair<const char*, DetailReader>> all = {
        {"num_cpus",
         [](C& c, const std::string& f, std::string_view v) { gojson::readInt(f, v, c.numCpus); }},
        {"mem_total", [](C& c, const std::string& f,
                         std::string_view v) { gojson::readUint(f, v, c.memoryTotal); }},
        text<&C::name>("name"),
        text<&C::os>("os"),
        text<&C::osArch>("os_arch"),
        text<&C::osFamily>("os_family"),
        text<&C::osKernel>("os_kernel"),
        text<&C::osFullName>("os_full_name"),
        text<&C::osVersion>("os_version"),
        text<&C::osVirtualizationSystem>("os_virtualization_system"),
        text<&C::osVirtualizationRole>("os_virtualization_role"),
        text<&C::cpuFamily>("cpu_family"),
        text<&C::cpuModel>("cpu_model"),
        text<&C::cpuModelName>("cpu_model_name"),
        text<&C::cpuVendor>("cpu_vendor"),
        text<&C::timezone>("timezone"),
        text<&C::hostname>("hostname"),
        text<&C::version>("version"),
        text<&C::address>("address"),
        list<&C::ipv4>("ipv4"),
        list<&C::ipv6>("ipv6"),
        list<&C::tags>("tags"),
        {"labels", [](C& c, const std::string& f,
                      std::string_view v) { gojson::readLabels(f, v, c.labels); }},
        raw<&C::tunnelsJson, json::Kind::Array>("tunnels"),
        list<&C::allowedUserGroups>("allowed_user_groups"),
        raw<&C::updatesStatusJson, json::Kind::Object>("updates_status"),
        raw<&C::ipAddressesJson, json::Kind::Object>("ext_ip_addresses"),
        raw<&C::clientConfigurationJson, json::Kind::Object>("client_configuration"),
    };
    return all;
}

}  // namespace

std::string encodeDetails(const Client& c) {
    util::JsonWriter w;
    w.beginObject();
    w.key("num_cpus").value(c.numCpus);
    w.key("mem_total").value(c.memoryTotal);
    w.key("name").value(c.name);
    w.key("os").value(c.os);
    w.key("os_arch").value(c.osArch);
    w.key("os_family").value(c.osFamily);
    w.key("os_kernel").value(c.osKernel);
    w.key("os_full_name").value(c.osFullName);
    w.key("os_version").value(c.osVersion);
    w.key("os_virtualization_system").value(c.osVirtualizationSystem);
    w.key("os_virtualization_role").value(c.osVirtualizationRole);
    w.key("cpu_family").value(c.cpuFamily);
    w.key("cpu_model").value(c.cpuModel);
    w.key("cpu_model_name").value(c.cpuModelName);
    w.key("cpu_vendor").value(c.cpuVendor);
    w.key("timezone").value(c.timezone);
    w.key("hostname").value(c.hostname);
    w.key("version").value(c.version);
    w.key("address").value(c.address);
    w.key("ipv4");
    gojson::writeStringList(w, c.ipv4);
    w.key("ipv6");
    gojson::writeStringList(w, c.ipv6);
    w.key("tags");
    gojson::writeStringList(w, c.tags);
    w.key("labels");
    gojson::writeLabels(w, c.labels);
    w.key("tunnels").raw(c.tunnelsJson);
    w.key("allowed_user_groups");
    gojson::writeStringList(w, c.allowedUserGroups);
    w.key("updates_status").raw(c.updatesStatusJson);
    w.key("ext_ip_addresses").raw(c.ipAddressesJson);
    w.key("client_configuration").raw(c.clientConfigurationJson);
    w.endObject();
    return w.take();
}

void decodeDetails(std::string_view text, Client& c) {
    json::validate(text);
    if (json::kindOf(text) == json::Kind::Null) return;
    if (json::kindOf(text) != json::Kind::Object)
        throw gojson::TypeError("details is not a JSON object");
    for (const auto& [key, value] : json::members(text)) {
        const std::pair<const char*, DetailReader>* field = nullptr;
        for (const auto& f : detailFields())
            if (key == f.first) field = &f;
        if (!field)
            for (const auto& f : detailFields())
                if (gojson::keyMatches(key, f.first)) field = &f;
        if (field) field->second(c, field->first, value);
    }
}

ClientStore::ClientStore(std::string path, bool wal)
    : _file(std::move(path), "clients database", wal) {
    if (!_file.hasTable("clients")) _file.execAll(kSchema);
    const char* what = "unexpected schema";
    _save = _file.prepare(
        "INSERT OR REPLACE INTO clients (id, client_auth_id, disconnected_at, details) VALUES (?, "
        "?, ?, ?)",
        what);
    _removeClient = _file.prepare("DELETE FROM clients WHERE id = ?", what);
    _removeTunnels = _file.prepare("DELETE FROM stored_tunnels WHERE client_id = ?", what);
}

std::vector<Client> ClientStore::loadAll() {
    sqlite3_stmt* select = _file.prepare(
        "SELECT id, client_auth_id, disconnected_at, details FROM clients ORDER BY id",
        "cannot read the clients table");
    std::vector<Client> out;
    int rc;
    auto columnText = [&](int i) {
        const unsigned char* t = sqlite3_column_text(select, i);
        return t ? std::string(reinterpret_cast<const char*>(t),
                               static_cast<size_t>(sqlite3_column_bytes(select, i)))
                 : std::string();
    };
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
        Client c;
        c.id = columnText(0);
        c.clientAuthId = columnText(1);
        auto bad = [&](const std::string& why) {
            sqlite3_finalize(select);
            throw ClientStoreError("clients database " + _file.path() + ": client \"" + c.id +
                                   "\": " + why);
        };
        switch (sqlite3_column_type(select, 2)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:  // unix seconds, should anyone have written those
                c.disconnectedAt = sqlite3_column_int64(select, 2) * 1000000000;
                break;
            default: {
                std::string when = columnText(2);
                c.disconnectedAt = util::parseTimeText(when);
                if (!c.disconnectedAt) bad("unreadable disconnected_at \"" + when + "\"");
            }
        }
        try {
            decodeDetails(columnText(3), c);
        } catch (const std::exception& e) {
            bad(std::string("unreadable details: ") + e.what());
        }
        out.push_back(std::move(c));
    }
    sqlite3_finalize(select);
    if (rc != SQLITE_DONE) _file.fail("cannot read the clients table");
    return out;
}

void ClientStore::save(const Client& c) {
    std::string details = encodeDetails(c);
    std::string when = c.disconnectedAt ? util::sqliteTimeUtc(*c.disconnectedAt) : std::string();
    sqlite3_reset(_save);
    sqlite3_bind_text(_save, 1, c.id.data(), static_cast<int>(c.id.size()), SQLITE_STATIC);
    sqlite3_bind_text(_save, 2, c.clientAuthId.data(), static_cast<int>(c.clientAuthId.size()),
                      SQLITE_STATIC);
    if (c.disconnectedAt)
        sqlite3_bind_text(_save, 3, when.data(), static_cast<int>(when.size()), SQLITE_STATIC);
    else
        sqlite3_bind_null(_save, 3);
    sqlite3_bind_text(_save, 4, details.data(), static_cast<int>(details.size()), SQLITE_STATIC);
    int rc = sqlite3_step(_save);
    sqlite3_reset(_save);
    sqlite3_clear_bindings(_save);
    if (rc != SQLITE_DONE) _file.fail("cannot save client \"" + c.id + "\"");
}

void ClientStore::remove(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    _file.exec("BEGIN IMMEDIATE");
    try {
        for (const auto& id : ids) {
            for (sqlite3_stmt* st : {_removeTunnels, _removeClient}) {
                sqlite3_reset(st);
                sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
                int rc = sqlite3_step(st);
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
                if (rc != SQLITE_DONE) _file.fail("cannot delete client \"" + id + "\"");
            }
        }
        _file.exec("COMMIT");
    } catch (...) {
        _file.rollback();
        throw;
    }
}

}  // namespace rportd::clients
