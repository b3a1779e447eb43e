#include "config/PluginSelection.h"

#include "config/AcmeChallenges.h"
#include "config/CertbotPath.h"
#include "config/KeyPosition.h"
#include "config/UrlCheck.h"

namespace rportd::config {
namespace {

const std::string kExplicitOriginPrefix = "[plugins] ";

using Settings = std::vector<std::pair<std::string, std::string>>;

PluginSelection make(std::string plugin, std::string origin, Settings settings) {
    return PluginSelection{std::move(plugin), std::move(origin), std::move(settings)};
}

std::string boolText(bool value) { return value ? "true" : "false"; }

void addDatabase(Settings& settings, const DatabaseConfig& db) {
    settings.emplace_back("db_type", db.db_type);
    settings.emplace_back("db_host", db.db_host);
    settings.emplace_back("db_user", db.db_user);
    settings.emplace_back("db_password", db.db_password);
    settings.emplace_back("db_name", db.db_name);
}

// What the acme plugin needs beyond the name: [acme] and the challenges the
// listeners can answer, in the order to prefer them. Optional settings that
// are empty are left out rather than passed as "".
void addAcme(Settings& settings, const Config& config) {
    const auto& acme = config.acme;
    auto addIfSet = [&settings](const char* key, const std::string& value) {
        if (!value.empty()) settings.emplace_back(key, value);
    };
    settings.emplace_back("directory_url", acme.directory_url);
    addIfSet("email", acme.email);
    addIfSet("ca_bundle", acme.ca_bundle);
    addIfSet("eab_kid", acme.eab_kid);
    addIfSet("eab_hmac_key", acme.eab_hmac_key);
    std::string challenges;
    for (const auto& name : acmeChallengesInForce(config))
        challenges += (challenges.empty() ? "" : ",") + name;
    addIfSet("challenges", challenges);
    settings.emplace_back("retry_min", acme.retry_min.text);
    settings.emplace_back("retry_max", acme.retry_max.text);
    settings.emplace_back("key_type", acme.key_type);
}

// The original picks the table over the file over the static pair.
std::optional<PluginSelection> classicClientAuth(const Config& config) {
    const auto& server = config.server;
    const std::string write = boolText(server.auth_write);
    if (!server.auth_table.empty()) {
        Settings settings{{"table", server.auth_table}, {"write", write}};
        addDatabase(settings, config.database);
        return make("table", "[server] auth_table", settings);
    }
    if (!server.auth_file.empty())
        return make("file", "[server] auth_file", {{"path", server.auth_file}, {"write", write}});
    if (!server.auth.empty()) return make("static", "[server] auth", {{"auth", server.auth}});
    return std::nullopt;
}

std::optional<PluginSelection> classicApiAuth(const Config& config) {
    const auto& api = config.api;
    if (!api.auth_user_table.empty()) {
        Settings settings{{"user_table", api.auth_user_table},
                          {"group_table", api.auth_group_table},
                          {"group_details_table", api.auth_group_details_table}};
        addDatabase(settings, config.database);
        return make("table", "[api] auth_user_table", settings);
    }
    if (!api.auth_file.empty()) return make("file", "[api] auth_file", {{"path", api.auth_file}});
    if (!api.auth.empty()) return make("static", "[api] auth", {{"auth", api.auth}});
    return std::nullopt;
}

std::optional<PluginSelection> classicApiCert(const Config& config) {
    const auto& api = config.api;
    // A certbot lineage (live/NAME/ next to renewal/NAME.conf) gets the
    // provider that knows certbot: it also checks how renewals will run.
    if (!api.cert_file.empty() && !api.key_file.empty() && certbotLineageOnDisk(api.cert_file))
        return make("certbot", "[api] cert_file",
                    {{"cert_file", api.cert_file},
                     {"key_file", api.key_file},
                     {"acme_http_port", std::to_string(config.server.acme_http_port)},
                     {"challenge_webroot", challengeWebroot(config.server)}});
    if (!api.cert_file.empty() || !api.key_file.empty())
        return make("files", api.cert_file.empty() ? "[api] key_file" : "[api] cert_file",
                    {{"cert_file", api.cert_file}, {"key_file", api.key_file}});
    if (api.enable_acme) {
        std::string error;
        const auto url = parseUrl(api.base_url, error);
        const std::string host = url ? hostWithoutPort(url->host) : std::string();
        Settings settings{{"host", host},
                          {"base_url", api.base_url},
                          {"data_dir", config.server.data_dir},
                          {"http_port", std::to_string(config.server.acme_http_port)}};
        addAcme(settings, config);
        return make("acme", "[api] enable_acme", settings);
    }
    return std::nullopt;
}

// TLS on the client listener: files, or the certbot provider for a
// certbot lineage, exactly as [api] cert_file chooses.
std::optional<PluginSelection> classicClientCert(const Config& config) {
    const auto& server = config.server;
    if (!server.cert_file.empty() && !server.key_file.empty() &&
        certbotLineageOnDisk(server.cert_file))
        return make("certbot", "[server] cert_file",
                    {{"cert_file", server.cert_file},
                     {"key_file", server.key_file},
                     {"acme_http_port", std::to_string(server.acme_http_port)},
                     {"challenge_webroot", challengeWebroot(server)}});
    if (!server.cert_file.empty() || !server.key_file.empty())
        return make("files", server.cert_file.empty() ? "[server] key_file" : "[server] cert_file",
                    {{"cert_file", server.cert_file}, {"key_file", server.key_file}});
    return std::nullopt;
}

std::optional<PluginSelection> classicTunnelCert(const Config& config) {
    const auto& server = config.server;
    if (!server.tunnel_proxy_cert_file.empty() || !server.tunnel_proxy_key_file.empty())
        return make("files",
                    server.tunnel_proxy_cert_file.empty() ? "[server] tunnel_proxy_key_file"
                                                          : "[server] tunnel_proxy_cert_file",
                    {{"cert_file", server.tunnel_proxy_cert_file},
                     {"key_file", server.tunnel_proxy_key_file}});
    if (server.tunnel_enable_acme) {
        Settings settings{{"host", server.tunnel_host},
                          {"data_dir", server.data_dir},
                          {"http_port", std::to_string(server.acme_http_port)}};
        addAcme(settings, config);
        return make("acme", "[server] tunnel_enable_acme", settings);
    }
    return std::nullopt;
}

}  // namespace

std::string_view roleName(PluginRole role) {
    switch (role) {
        case PluginRole::ClientAuth:
            return "client_auth";
        case PluginRole::ApiAuth:
            return "api_auth";
        case PluginRole::ApiCert:
            return "api_cert";
        case PluginRole::TunnelCert:
            return "tunnel_cert";
        case PluginRole::ClientCert:
            return "client_cert";
    }
    return "client_auth";
}

std::optional<PluginRole> roleFromName(std::string_view name) {
    for (auto role : kAllPluginRoles) {
        if (roleName(role) == name) return role;
    }
    return std::nullopt;
}

std::optional<PluginSelection>& selectionSlot(PluginsConfig& plugins, PluginRole role) {
    switch (role) {
        case PluginRole::ClientAuth:
            return plugins.client_auth;
        case PluginRole::ApiAuth:
            return plugins.api_auth;
        case PluginRole::ApiCert:
            return plugins.api_cert;
        case PluginRole::TunnelCert:
            return plugins.tunnel_cert;
        case PluginRole::ClientCert:
            return plugins.client_cert;
    }
    return plugins.client_auth;
}

const std::optional<PluginSelection>& selectionSlot(const PluginsConfig& plugins, PluginRole role) {
    return selectionSlot(const_cast<PluginsConfig&>(plugins), role);
}

bool isValidPluginName(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool isExplicitSelection(const PluginSelection& selection) {
    return selection.origin.rfind(kExplicitOriginPrefix, 0) == 0;
}

std::optional<std::string> findSetting(const PluginSelection& selection, std::string_view key) {
    for (const auto& [name, value] : selection.settings) {
        if (name == key) return value;
    }
    return std::nullopt;
}

std::optional<PluginSelection> classicSelection(const Config& config, PluginRole role) {
    switch (role) {
        case PluginRole::ClientAuth:
            return classicClientAuth(config);
        case PluginRole::ApiAuth:
            return classicApiAuth(config);
        case PluginRole::ApiCert:
            return classicApiCert(config);
        case PluginRole::TunnelCert:
            return classicTunnelCert(config);
        case PluginRole::ClientCert:
            return classicClientCert(config);
    }
    return std::nullopt;
}

void resolvePluginRole(Config& config, PluginRole role) {
    auto& slot = selectionSlot(config.plugins, role);
    auto classic = classicSelection(config, role);
    if (slot && isExplicitSelection(*slot)) {
        if (classic)
            failAt(config, "plugins." + std::string(roleName(role)),
                   "'" + slot->origin + "' and '" + classic->origin +
                       "' are both set: expected only one of them");
        return;
    }
    slot = std::move(classic);
}

}  // namespace rportd::config
