#pragma once
// The typed content of rportd.conf. Field names are the TOML key names, so a
// key in the file and the field it fills are found with the same grep.
// Defaults are those of the original Go server (rport-behaviour.md §1).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "config/ConfigError.h"
#include "config/Duration.h"
#include "config/PortSet.h"

namespace rportd::config {

// The original defaults to half the CPUs, at least one.
inline int defaultMaxConcurrentSshHandshakes() {
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency() / 2));
}

struct ServerConfig {
    std::string address = "0.0.0.0:8080";  // client listener
    // Empty in the file means ["http://" + address]; validate() fills that in.
    std::vector<std::string> url;
    std::string pairing_url = "https://pairing.openrport.io";
    std::string data_dir = "/var/lib/rport";
    std::string key_seed;  // empty: a fresh random SSH host key on every start

    // Client authentication: at most one of these three (or [plugins] client_auth).
    std::string auth;  // "<client-auth-id>:<password>"
    std::string auth_file;
    std::string auth_table;
    bool auth_write = true;
    // Ours, not the original's: secrets created through the API are stored as
    // bcrypt hashes instead of plaintext.
    bool auth_store_hashed = false;
    bool auth_multiuse_creds = true;
    bool equate_clientauthid_clientid = false;

    std::string proxy;  // URL non-WebSocket requests on the client port are forwarded to
    std::vector<std::string> used_ports = {"20000-30000"};
    std::vector<std::string> excluded_ports = {"1-1024"};
    bool sqlite_wal = true;
    int max_concurrent_ssh_handshakes = defaultMaxConcurrentSshHandshakes();

    bool purge_disconnected_clients = false;
    Duration keep_disconnected_clients = std::chrono::hours(1);
    Duration purge_disconnected_clients_interval = std::chrono::minutes(1);
    Duration check_clients_connection_interval = std::chrono::minutes(5);
    Duration check_clients_connection_timeout = std::chrono::seconds(30);
    std::int64_t max_request_bytes_client = 524288;
    Duration check_port_timeout = std::chrono::seconds(2);
    bool allow_root = false;

    double client_login_wait = 2.0;  // seconds; the original truncates to whole seconds
    int max_failed_login = 5;
    int ban_time = 3600;  // seconds

    // Ours: TLS on the client listener (the original has none), so that
    // wss:// and https:// client URLs work without a terminator in front.
    // A cert/key pair (a certbot lineage picks the certbot provider, as for
    // the API) or [plugins] client_cert.
    std::string cert_file;
    std::string key_file;

    // Tunnel proxy: enabled by a cert/key pair, tunnel_enable_acme or [plugins] tunnel_cert.
    std::string tunnel_host;
    bool tunnel_enable_acme = false;
    std::string tunnel_proxy_cert_file;
    std::string tunnel_proxy_key_file;
    // Minimum TLS of the tunnel proxy. The original's default was 1.3, which
    // broke the proxies users put in front of it; ours accepts 1.2 (AEAD and
    // forward secrecy only) unless 1.3 is asked for.
    std::string tls_min = "1.2";
    int acme_http_port = 0;      // 0 = no HTTP-01 challenge listener
    std::string acme_http_host;  // ours: the address it binds; empty = every address
    // Files below <acme_webroot>/.well-known/acme-challenge/ are served on
    // acme_http_port, so `certbot renew --webroot -w <dir>` works while rportd
    // holds the port. Empty: <data_dir>/acme-webroot.
    std::string acme_webroot;

    // --- filled by validate() ---
    PortSet allowed_ports;  // used_ports minus excluded_ports
    std::string auth_id;    // `auth` split at its first ':'
    std::string auth_password;
    bool tunnel_proxy_enabled = false;
};

struct ApiConfig {
    std::string address;  // empty: no API listener
    std::string base_url;
    bool enable_acme = false;

    // API authentication: at most one of auth / auth_file / auth_user_table (or [plugins]
    // api_auth).
    std::string auth;  // "<user>:<password>"
    std::string auth_file;
    std::string auth_user_table;
    std::string auth_group_table;
    std::string auth_group_details_table;
    std::string jwt_secret;  // empty: the API generates a random one at start

    std::string cert_file;
    std::string key_file;
    std::string access_log_file;
    double user_login_wait = 2.0;  // seconds
    int max_failed_login = 10;
    int ban_time = 600;  // seconds
    // Proxies whose X-Forwarded-For is believed (addresses or CIDR networks).
    std::vector<std::string> trusted_proxies;
    std::int64_t max_request_bytes = 10240;
    std::string tls_min = "1.2";  // see ServerConfig::tls_min
    std::string doc_root;
    int max_token_lifetime = 0;  // hours, 0..2160
    std::string auth_header;
    std::string user_header = "Authentication-User";
    int password_min_length = 14;

    // --- filled by validate() ---
    std::string auth_user;  // `auth` split at its first ':'
    std::string auth_password;
};

// A Go duration together with the text it was written as: plugins receive
// their settings as text, and the text is what the user recognises.
struct WrittenDuration {
    Duration value;
    std::string text;
};

// The ACME CA rportd asks when [acme] directory_url is not set, and its
// staging twin (untrusted certificates, generous rate limits) for trials.
inline constexpr std::string_view kLetsEncryptDirectoryUrl =
    "https://acme-v02.api.letsencrypt.org/directory";
inline constexpr std::string_view kLetsEncryptStagingDirectoryUrl =
    "https://acme-staging-v02.api.letsencrypt.org/directory";

// Ours, not the original's: how the built-in ACME client ([api] enable_acme,
// [server] tunnel_enable_acme) talks to its CA. Every key is optional.
struct AcmeConfig {
    std::string directory_url{kLetsEncryptDirectoryUrl};
    std::string email;      // account contact; empty: none
    std::string ca_bundle;  // PEM file a private CA's HTTPS chains to; empty: the system's
    // External Account Binding, for CAs that require an account elsewhere first.
    std::string eab_kid;
    std::string eab_hmac_key;  // base64url, as the CA shows it
    // Which challenges the CA can reach; empty: detected from the listeners
    // (config/AcmeChallenges.h).
    std::vector<std::string> challenges;
    WrittenDuration retry_min{std::chrono::minutes(1), "1m"};  // first wait after a failure
    WrittenDuration retry_max{std::chrono::hours(6), "6h"};    // the wait stops growing here
    std::string key_type = "ecdsa";                            // of certificates: "ecdsa" or "rsa"
};

struct DatabaseConfig {
    std::string db_type;  // "", "mysql" or "sqlite"
    std::string db_host;  // mysql: "host:port" or "socket:/path"
    std::string db_user;
    std::string db_password;
    std::string db_name;  // mysql: database name; sqlite: file path
};

enum class LogLevel { Error, Info, Debug };

// "error", "info" or "debug"; parseLogLevel is exact (lower case only), like the original.
std::string toString(LogLevel level);
std::optional<LogLevel> parseLogLevel(std::string_view text);

struct LoggingConfig {
    std::string log_file;  // empty: stdout
    LogLevel log_level = LogLevel::Info;
};

// Which plugin backs one role, and the settings handed to it.
struct PluginSelection {
    std::string plugin;  // e.g. "static", "file", "table", "files", "acme" or a third-party name
    std::string origin;  // the key that chose it: "[server] auth" or "[plugins] client_auth"
    std::vector<std::pair<std::string, std::string>> settings;  // in a stable order
};

struct PluginsConfig {
    std::string dir;  // empty: the default plugin directory next to the binary

    // Set by the loader for a role chosen in [plugins]; filled from the classic
    // keys by validate() otherwise. Empty when nothing selects the role.
    std::optional<PluginSelection> client_auth;
    std::optional<PluginSelection> api_auth;
    std::optional<PluginSelection> api_cert;
    std::optional<PluginSelection> tunnel_cert;
    std::optional<PluginSelection> client_cert;  // ours: TLS on the client listener
};

// Where the values came from, so validation errors can point at a line.
struct ConfigSource {
    std::string name;                      // file path, or the name given to loadConfigText
    std::map<std::string, int> key_lines;  // "server.auth" -> 1-based line, keys present only
};

struct Config {
    ServerConfig server;
    LoggingConfig logging;
    ApiConfig api;
    AcmeConfig acme;
    DatabaseConfig database;
    PluginsConfig plugins;
    ConfigSource source;
};

// --- reading and checking (Loader.cpp, Validate.cpp) ---

// Reads, decodes and validates the file. Non-fatal findings (keys we do not
// support yet, unknown keys, deprecated names) are appended to `warnings`,
// one line each, starting with "path:line: ". Throws ConfigError.
Config loadConfigFile(const std::string& path, std::vector<std::string>& warnings);

// The same for text already in memory; `sourceName` stands in for the path.
Config loadConfigText(const std::string& text, const std::string& sourceName,
                      std::vector<std::string>& warnings);

// Only the decoding half of loadConfigText (no validate()), for callers and
// tests that want to adjust a Config before validating it.
Config decodeConfigText(const std::string& text, const std::string& sourceName,
                        std::vector<std::string>& warnings);

// Checks a decoded Config the way the original server did, in the same order
// (so the same error wins when several keys are wrong) and with the same
// wording, prefixed by "file:line: " when the offending key was in the file.
// Fills the derived fields (url default, allowed_ports, auth_id, ...) and the
// final plugin selection of every role. Throws ConfigError on the first
// failing check; non-fatal findings are appended to `warnings`.
void validate(Config& config, std::vector<std::string>& warnings);
void validate(Config& config);

// The challenge webroot in force: [server] acme_webroot or its default.
inline std::string challengeWebroot(const ServerConfig& server) {
    return server.acme_webroot.empty() ? server.data_dir + "/acme-webroot" : server.acme_webroot;
}

}  // namespace rportd::config
