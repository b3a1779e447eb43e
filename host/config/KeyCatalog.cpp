#include "config/KeyCatalog.h"

namespace rportd::config {
namespace {

// Binds a key to a field: decodes the TOML value straight into config.*group.*field.
template <class Group, class Field>
KeySpec field(std::string_view name, Group Config::*group, Field Group::*member) {
    return {name, KeyKind::Implemented,
            [group, member](Config& config, const toml::node& value, const KeyLabel& label) {
                decodeInto(value, label, config.*group.*member);
            }};
}

KeySpec unsupported(std::string_view name) { return {name, KeyKind::Unsupported, nullptr}; }
KeySpec deprecated(std::string_view name) { return {name, KeyKind::Deprecated, nullptr}; }

std::vector<KeySpec> serverKeys() {
    using S = ServerConfig;
    const auto g = &Config::server;
    return {
        field("address", g, &S::address),
        field("url", g, &S::url),
        field("pairing_url", g, &S::pairing_url),
        field("data_dir", g, &S::data_dir),
        field("key_seed", g, &S::key_seed),
        field("auth", g, &S::auth),
        field("auth_file", g, &S::auth_file),
        field("auth_table", g, &S::auth_table),
        field("auth_write", g, &S::auth_write),
        field("auth_store_hashed", g, &S::auth_store_hashed),
        field("auth_multiuse_creds", g, &S::auth_multiuse_creds),
        field("equate_clientauthid_clientid", g, &S::equate_clientauthid_clientid),
        field("proxy", g, &S::proxy),
        field("used_ports", g, &S::used_ports),
        field("excluded_ports", g, &S::excluded_ports),
        field("sqlite_wal", g, &S::sqlite_wal),
        field("max_concurrent_ssh_handshakes", g, &S::max_concurrent_ssh_handshakes),
        field("purge_disconnected_clients", g, &S::purge_disconnected_clients),
        field("keep_disconnected_clients", g, &S::keep_disconnected_clients),
        field("purge_disconnected_clients_interval", g, &S::purge_disconnected_clients_interval),
        field("check_clients_connection_interval", g, &S::check_clients_connection_interval),
        field("check_clients_connection_timeout", g, &S::check_clients_connection_timeout),
        field("max_request_bytes_client", g, &S::max_request_bytes_client),
        field("check_port_timeout", g, &S::check_port_timeout),
        field("allow_root", g, &S::allow_root),
        field("client_login_wait", g, &S::client_login_wait),
        field("max_failed_login", g, &S::max_failed_login),
        field("ban_time", g, &S::ban_time),
        field("cert_file", g, &S::cert_file),
        field("key_file", g, &S::key_file),
        field("tunnel_host", g, &S::tunnel_host),
        field("tunnel_enable_acme", g, &S::tunnel_enable_acme),
        field("tunnel_proxy_cert_file", g, &S::tunnel_proxy_cert_file),
        field("tunnel_proxy_key_file", g, &S::tunnel_proxy_key_file),
        field("tls_min", g, &S::tls_min),
        field("acme_http_port", g, &S::acme_http_port),
        field("acme_webroot", g, &S::acme_webroot),
        field("acme_http_host", g, &S::acme_http_host),
        // Remote-desktop helpers, remote commands and jobs are not part of this server yet.
        unsupported("run_remote_cmd_timeout_sec"),
        unsupported("tunnel_cors"),
        unsupported("novnc_root"),
        unsupported("guacd_address"),
        unsupported("jobs_max_results"),
        // Old names (rport-behaviour.md §1.7).
        deprecated("cleanup_lost_clients"),
        deprecated("keep_lost_clients"),
        deprecated("cleanup_clients_interval"),
        deprecated("max_request_bytes"),
        deprecated("max_filepush_size"),
        deprecated("enable_ws_test_endpoints"),
    };
}

std::vector<KeySpec> apiKeys() {
    using A = ApiConfig;
    const auto g = &Config::api;
    return {
        field("address", g, &A::address),
        field("base_url", g, &A::base_url),
        field("enable_acme", g, &A::enable_acme),
        field("auth", g, &A::auth),
        field("auth_file", g, &A::auth_file),
        field("auth_user_table", g, &A::auth_user_table),
        field("auth_group_table", g, &A::auth_group_table),
        field("auth_group_details_table", g, &A::auth_group_details_table),
        field("jwt_secret", g, &A::jwt_secret),
        field("cert_file", g, &A::cert_file),
        field("key_file", g, &A::key_file),
        field("access_log_file", g, &A::access_log_file),
        field("user_login_wait", g, &A::user_login_wait),
        field("max_failed_login", g, &A::max_failed_login),
        field("ban_time", g, &A::ban_time),
        field("trusted_proxies", g, &A::trusted_proxies),
        field("max_request_bytes", g, &A::max_request_bytes),
        field("tls_min", g, &A::tls_min),
        field("doc_root", g, &A::doc_root),
        field("max_token_lifetime", g, &A::max_token_lifetime),
        field("auth_header", g, &A::auth_header),
        field("user_header", g, &A::user_header),
        field("password_min_length", g, &A::password_min_length),
        // Features of the original this server does not offer yet.
        unsupported("create_missing_users"),
        unsupported("default_user_group"),
        unsupported("two_fa_token_delivery"),
        unsupported("two_fa_token_ttl_seconds"),
        unsupported("two_fa_send_timeout"),
        unsupported("two_fa_send_to_type"),
        unsupported("two_fa_send_to_regex"),
        unsupported("totp_enabled"),
        unsupported("totp_login_session_ttl"),
        unsupported("totp_account_name"),
        unsupported("enable_audit_log"),
        unsupported("use_ip_obfuscation"),
        unsupported("audit_log_rotation"),
        unsupported("password_zxcvbn_minscore"),
        unsupported("max_filepush_size"),
        unsupported("cors"),
        unsupported("enable_ws_test_endpoints"),
    };
}

// Ours: the built-in ACME client's settings.
std::vector<KeySpec> acmeKeys() {
    using A = AcmeConfig;
    const auto g = &Config::acme;
    return {
        field("directory_url", g, &A::directory_url), field("email", g, &A::email),
        field("ca_bundle", g, &A::ca_bundle),         field("eab_kid", g, &A::eab_kid),
        field("eab_hmac_key", g, &A::eab_hmac_key),   field("challenges", g, &A::challenges),
        field("retry_min", g, &A::retry_min),         field("retry_max", g, &A::retry_max),
        field("key_type", g, &A::key_type),
    };
}

std::vector<KeySpec> databaseKeys() {
    using D = DatabaseConfig;
    const auto g = &Config::database;
    return {
        field("db_type", g, &D::db_type), field("db_host", g, &D::db_host),
        field("db_user", g, &D::db_user), field("db_password", g, &D::db_password),
        field("db_name", g, &D::db_name),
    };
}

std::vector<KeySpec> loggingKeys() {
    using L = LoggingConfig;
    const auto g = &Config::logging;
    return {field("log_file", g, &L::log_file), field("log_level", g, &L::log_level)};
}

std::vector<KeySpec> allUnsupported(std::initializer_list<std::string_view> names) {
    std::vector<KeySpec> keys;
    for (auto name : names) keys.push_back(unsupported(name));
    return keys;
}

std::vector<SectionSpec> buildCatalog() {
    return {
        {"server", true, serverKeys()},
        {"logging", true, loggingKeys()},
        {"api", true, apiKeys()},
        {"acme", true, acmeKeys()},
        {"database", true, databaseKeys()},
        {"caddy-integration", false,
         allUnsupported({"caddy", "address", "subdomain_prefix", "cert_file", "key_file",
                         "api_hostname", "api_port", "api_cert_file", "api_key_file", "tls_min"})},
        {"pushover", false, allUnsupported({"api_token", "user_key"})},
        {"smtp", false,
         allUnsupported({"server", "sender_email", "auth_username", "auth_password", "secure"})},
        {"monitoring", false,
         allUnsupported({"enabled", "data_storage_duration", "data_storage_days"})},
        {"notifications", false,
         allUnsupported({"notification_script_dir", "log_storage_duration", "cleanup_interval"})},
        {"plus-plugin", false, allUnsupported({"plugin_path"})},
        {"plus-license", false, allUnsupported({"id", "key", "proxy_url"})},
        {"plus-oauth", false,
         allUnsupported({"provider", "authorize_url", "redirect_uri", "token_url", "client_id",
                         "client_secret", "device_client_id", "device_authorize_url",
                         "device_client_secret", "required_organization", "required_group_id",
                         "permitted_user_list", "permitted_user_match", "jwks_url", "role_claim",
                         "required_role", "username_claim"})},
    };
}

}  // namespace

const std::vector<SectionSpec>& knownSections() {
    static const std::vector<SectionSpec> catalog = buildCatalog();
    return catalog;
}

const SectionSpec* findSection(std::string_view name) {
    for (const auto& section : knownSections()) {
        if (section.name == name) return &section;
    }
    return nullptr;
}

const KeySpec* findKey(const SectionSpec& section, std::string_view name) {
    for (const auto& key : section.keys) {
        if (key.name == name) return &key;
    }
    return nullptr;
}

}  // namespace rportd::config
