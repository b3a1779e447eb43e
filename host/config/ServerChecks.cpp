// Validation steps about [server], [database] and the miscellaneous checks.
#include <algorithm>
#include <thread>

#include "config/KeyPosition.h"
#include "config/PluginSelection.h"
#include "config/PortSet.h"
#include "config/Text.h"
#include "config/UrlCheck.h"
#include "config/ValidationSteps.h"

namespace rportd::config {
namespace {

bool isExplicitlySelected(const Config& config, PluginRole role) {
    const auto& slot = selectionSlot(config.plugins, role);
    return slot && isExplicitSelection(*slot);
}

std::string bothSet(const std::string& first, const std::string& second) {
    return "'" + first + "' and '" + second + "' are both set: expected only one of them";
}

}  // namespace

void checkServerUrls(Config& config) {
    auto& server = config.server;
    // With no url given, the default is derived from address; blame address then.
    const bool defaulted = server.url.empty();
    if (defaulted) server.url = {"http://" + server.address};
    for (const auto& url : server.url) {
        if (const auto problem = checkHttpUrl(url); !problem.empty())
            failAt(config, defaulted ? "server.address" : "server.url", "server.URL: " + problem);
    }
    if (!server.pairing_url.empty()) {
        if (const auto problem = checkHttpUrl(server.pairing_url); !problem.empty())
            failAt(config, "server.pairing_url", "server.pairingURL: " + problem);
    }
}

void checkPortRanges(Config& config) {
    auto& server = config.server;
    PortSet used;
    PortSet excluded;
    try {
        used = parsePortRanges(server.used_ports);
    } catch (const PortSyntaxError& error) {
        failAt(config, "server.used_ports",
               std::string("can't parse 'used_ports': ") + error.what());
    }
    try {
        excluded = parsePortRanges(server.excluded_ports);
    } catch (const PortSyntaxError& error) {
        failAt(config, "server.excluded_ports",
               std::string("can't parse 'excluded_ports': ") + error.what());
    }
    used.removeAll(excluded);
    if (used.empty())
        failAt(config, "server.used_ports",
               "invalid 'used_ports', 'excluded_ports': at least one port should be available "
               "for port assignment");
    server.allowed_ports = used;
}

void checkTunnelProxy(Config& config) {
    auto& server = config.server;
    const bool haveCert = !server.tunnel_proxy_cert_file.empty();
    const bool haveKey = !server.tunnel_proxy_key_file.empty();
    server.tunnel_proxy_enabled = haveCert || haveKey || server.tunnel_enable_acme ||
                                  isExplicitlySelected(config, PluginRole::TunnelCert);
    if (!server.tunnel_proxy_enabled) return;

    if (haveCert && !haveKey)
        failAt(config, "server.tunnel_proxy_cert_file",
               "when 'tunnel_proxy_cert_file' is set, 'tunnel_proxy_key_file' must be set as well");
    if (haveKey && !haveCert)
        failAt(config, "server.tunnel_proxy_key_file",
               "when 'tunnel_proxy_key_file' is set, 'tunnel_proxy_cert_file' must be set as well");
    if (server.tunnel_enable_acme && haveCert)
        failAt(config, "server.tunnel_enable_acme",
               "tunnel_proxy_cert_file, tunnel_proxy_key_file and tunnel_enable_acme cannot be "
               "used together");
    resolvePluginRole(config, PluginRole::TunnelCert);
    // The certificate pair itself is loaded by the certificate provider, not here.
    if (!server.tunnel_host.empty() && !isDnsName(server.tunnel_host) &&
        !isIpAddress(server.tunnel_host))
        failAt(config, "server.tunnel_host",
               "invalid tunnel_host '" + server.tunnel_host + "': use IP address or FQDN");
    if (!server.tls_min.empty() && server.tls_min != "1.2" && server.tls_min != "1.3")
        failAt(config, "server.tls_min", "TLS must be either 1.2 or 1.3");
    // Ours: the original let tunnel_enable_acme go without a name (or with an
    // address) and failed at the first handshake; ACME certificates need a DNS name.
    if (server.tunnel_enable_acme && server.tunnel_host.empty())
        failAt(config,
               config.source.key_lines.count("server.tunnel_host") ? "server.tunnel_host"
                                                                   : "server.tunnel_enable_acme",
               "tunnel_host must be set when tunnel_enable_acme is set: ACME certificates need a "
               "DNS name that points at this server");
    if (server.tunnel_enable_acme && isIpAddress(server.tunnel_host))
        failAt(
            config, "server.tunnel_host",
            "tunnel_host must be a DNS name when tunnel_enable_acme is set: " + server.tunnel_host +
                " is an IP address, and ACME certificates need a DNS name; use a name that "
                "points at this server, or tunnel_proxy_cert_file and tunnel_proxy_key_file "
                "instead of tunnel_enable_acme");
}

void checkClientTls(Config& config) {
    const auto& server = config.server;
    if (!server.cert_file.empty() && server.key_file.empty())
        failAt(config, "server.cert_file",
               "when 'cert_file' is set, 'key_file' must be set as well");
    if (server.cert_file.empty() && !server.key_file.empty())
        failAt(config, "server.key_file",
               "when 'key_file' is set, 'cert_file' must be set as well");
    resolvePluginRole(config, PluginRole::ClientCert);
}

void checkDataDir(const Config& config) {
    if (config.server.data_dir.empty())
        failAt(config, "server.data_dir", "'data directory path' cannot be empty");
}

void checkKeepDisconnectedClients(const Config& config) {
    const auto& server = config.server;
    const Duration lowest = std::chrono::seconds(1);
    const Duration highest = std::chrono::hours(168);
    const Duration keep = server.keep_disconnected_clients;
    if (server.purge_disconnected_clients && keep.count() != 0 && (keep < lowest || keep > highest))
        failAt(config, "server.keep_disconnected_clients",
               "expected 'Keep Lost Clients' can be in range [" + formatGoDuration(lowest) + ", " +
                   formatGoDuration(highest) + "], actual: " + formatGoDuration(keep));
}

void checkClientAuth(Config& config) {
    auto& server = config.server;
    const bool haveAuth = !server.auth.empty();
    const bool haveFile = !server.auth_file.empty();
    const bool haveTable = !server.auth_table.empty();
    if (!haveAuth && !haveFile && !haveTable &&
        !isExplicitlySelected(config, PluginRole::ClientAuth))
        throw ConfigError(
            "client authentication must be enabled: set either 'auth', 'auth_file' or "
            "'auth_table'");
    if (haveFile && haveAuth) failAt(config, "server.auth_file", bothSet("auth_file", "auth"));
    if (haveFile && haveTable)
        failAt(config, "server.auth_file", bothSet("auth_file", "auth_table"));
    if (haveAuth && haveTable) failAt(config, "server.auth", bothSet("auth", "auth_table"));
    resolvePluginRole(config, PluginRole::ClientAuth);

    if (haveTable && config.database.db_type.empty())
        failAt(config, "server.auth_table", "'db_type' must be set when 'auth_table' is set");
    server.auth_id.clear();
    server.auth_password.clear();
    if (haveAuth) {
        // Split at the first colon only: the password may contain colons.
        const auto colon = server.auth.find(':');
        if (colon != std::string::npos) {
            server.auth_id = server.auth.substr(0, colon);
            server.auth_password = server.auth.substr(colon + 1);
        }
        if (server.auth_id.empty() || server.auth_password.empty())
            failAt(config, "server.auth",
                   "invalid client auth credentials, expected '<client-id>:<password>', got " +
                       goQuote(server.auth));
    }
}

void checkDatabase(const Config& config) {
    const auto& type = config.database.db_type;
    if (!type.empty() && type != "mysql" && type != "sqlite")
        failAt(config, "database.db_type",
               "invalid 'db_type', expected 'mysql' or 'sqlite', got " + goQuote(type));
}

void checkMisc(Config& config, std::vector<std::string>& warnings) {
    auto& server = config.server;
    const int processors = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (server.max_concurrent_ssh_handshakes > processors * 2)
        warnings.push_back(
            positionPrefix(positionOf(config.source, "server.max_concurrent_ssh_handshakes")) +
            "[server] max_concurrent_ssh_handshakes: " +
            std::to_string(server.max_concurrent_ssh_handshakes) + " is more than twice the " +
            std::to_string(processors) + " processors; handshakes will slow the server down");

    const Duration shortestCheck = std::chrono::minutes(2);
    if (server.check_clients_connection_interval < shortestCheck) {
        warnings.push_back(
            positionPrefix(positionOf(config.source, "server.check_clients_connection_interval")) +
            "[server] check_clients_connection_interval: " +
            formatGoDuration(server.check_clients_connection_interval) +
            " is below the minimum, using " + formatGoDuration(shortestCheck));
        server.check_clients_connection_interval = shortestCheck;
    }

    if (server.check_port_timeout > std::chrono::minutes(1))
        failAt(config, "server.check_port_timeout",
               "'check_port_timeout' can not be more than " +
                   formatGoDuration(std::chrono::minutes(1)));
}

}  // namespace rportd::config
