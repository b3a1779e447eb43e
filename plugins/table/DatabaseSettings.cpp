#include "DatabaseSettings.h"

#include <cctype>

namespace rport::plugins::table {

namespace {

constexpr std::string_view kSocketPrefix = "socket:";

sdk::Error invalid(const std::string& message) { return sdk::Error(RPORT_E_INVALID, message); }

DbType readDbType(const sdk::Host& host) {
    std::string type = host.setting("db_type").value_or("");
    if (type == "mysql") return DbType::MySql;
    if (type == "sqlite") return DbType::Sqlite;
    // Same wording as the original's [database] validation.
    throw invalid("invalid 'db_type', expected 'mysql' or 'sqlite', got \"" + type + "\"");
}

unsigned parsePort(const std::string& text, const std::string& dbHost) {
    bool digits = !text.empty() && text.size() <= 5;
    for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    unsigned port = digits ? static_cast<unsigned>(std::stoul(text)) : 0;
    if (port == 0 || port > 65535)
        throw invalid("invalid port in setting 'db_host' ([database] db_host): \"" + dbHost + "\"");
    return port;
}

// "host", "host:port", "[v6]:port" or "socket:/path"; empty is the default.
MySqlAddress parseAddress(const std::string& dbHost) {
    MySqlAddress a;
    if (dbHost.empty()) return a;
    if (dbHost.compare(0, kSocketPrefix.size(), kSocketPrefix) == 0) {
        a.socketPath = dbHost.substr(kSocketPrefix.size());
        if (a.socketPath.empty())
            throw invalid(
                "setting 'db_host' ([database] db_host) names no socket path after 'socket:'");
        return a;
    }
    std::string host = dbHost;
    std::string port;
    if (host.front() == '[') {  // IPv6 literal
        size_t close = host.find(']');
        if (close == std::string::npos)
            throw invalid("invalid setting 'db_host' ([database] db_host): \"" + dbHost + "\"");
        if (close + 1 < host.size()) {
            if (host[close + 1] != ':')
                throw invalid("invalid setting 'db_host' ([database] db_host): \"" + dbHost + "\"");
            port = host.substr(close + 2);
        }
        host = host.substr(1, close - 1);
    } else if (size_t colon = host.rfind(':'); colon != std::string::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty())
        throw invalid("invalid setting 'db_host' ([database] db_host): \"" + dbHost + "\"");
    a.host = host;
    if (!port.empty() || dbHost.back() == ':') a.port = parsePort(port, dbHost);
    return a;
}

// Poco 1.11's MySQL connector reads "key=value;..." with no escaping and
// trims spaces around values, so such values cannot reach the server intact.
void requirePassableToConnector(const std::string& key, const std::string& value) {
    bool padded = !value.empty() && (std::isspace(static_cast<unsigned char>(value.front())) ||
                                     std::isspace(static_cast<unsigned char>(value.back())));
    if (value.find(';') != std::string::npos || padded)
        throw invalid("setting '" + key + "' ([database] " + key +
                      ") must not contain ';' or start or end with a space: the MySQL connector "
                      "cannot pass such a value");
}

}  // namespace

DatabaseSettings DatabaseSettings::read(const sdk::Host& host) {
    DatabaseSettings s;
    s.dbType = readDbType(host);
    s.dbHost = host.setting("db_host").value_or("");
    s.user = host.setting("db_user").value_or("");
    s.password = host.setting("db_password").value_or("");
    s.name = host.setting("db_name").value_or("");
    s.createTables = host.flag("create_tables", false);
    if (s.dbType == DbType::Sqlite) {
        if (s.name.empty())
            throw invalid(
                "setting 'db_name' ([database] db_name) must name the sqlite database file");
        return s;
    }
    s.address = parseAddress(s.dbHost);
    if (s.user.empty())
        throw invalid("setting 'db_user' ([database] db_user) is required for mysql");
    requirePassableToConnector("db_host", s.dbHost);
    requirePassableToConnector("db_user", s.user);
    requirePassableToConnector("db_password", s.password);
    requirePassableToConnector("db_name", s.name);
    return s;
}

std::string DatabaseSettings::describe() const {
    if (dbType == DbType::Sqlite) return "sqlite database '" + name + "'";
    std::string where;
    if (!address.socketPath.empty())
        where = "socket " + address.socketPath;
    else if (address.host.empty())
        where = "the default local socket";
    else
        where = address.host + (address.port ? ":" + std::to_string(address.port) : "");
    return "mysql database '" + name + "' at " + where + " as user '" + user + "'";
}

}  // namespace rport::plugins::table
