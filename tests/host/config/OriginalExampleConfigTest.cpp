// Compatibility with configs written for the original server, and our own
// example config.
#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

#include "ConfigTestSupport.h"
#include "TempDir.h"

namespace rportd::config::test {
namespace {

std::string fixture(const std::string& name) {
    return rport::test::sourceDir() + "/tests/fixtures/config/" + name;
}

// Every key of the original example config that this rportd does not act on.
const std::vector<std::string> kUnsupportedKeysOfExample = {
    "[server] run_remote_cmd_timeout_sec",
    "[server] tunnel_cors",
    "[server] novnc_root",
    "[server] guacd_address",
    "[server] jobs_max_results",
    "[api] create_missing_users",
    "[api] default_user_group",
    "[api] two_fa_token_delivery",
    "[api] two_fa_token_ttl_seconds",
    "[api] two_fa_send_timeout",
    "[api] two_fa_send_to_type",
    "[api] two_fa_send_to_regex",
    "[api] totp_enabled",
    "[api] totp_login_session_ttl",
    "[api] totp_account_name",
    "[api] enable_audit_log",
    "[api] use_ip_obfuscation",
    "[api] audit_log_rotation",
    "[api] password_zxcvbn_minscore",
    "[api] max_filepush_size",
    "[api] cors",
    "[api] enable_ws_test_endpoints",
    "[caddy-integration] caddy",
    "[caddy-integration] address",
    "[caddy-integration] subdomain_prefix",
    "[caddy-integration] cert_file",
    "[caddy-integration] key_file",
    "[caddy-integration] api_hostname",
    "[caddy-integration] api_cert_file",
    "[caddy-integration] api_key_file",
    "[caddy-integration] api_port",
    "[pushover] api_token",
    "[pushover] user_key",
    "[smtp] server",
    "[smtp] sender_email",
    "[smtp] auth_username",
    "[smtp] auth_password",
    "[smtp] secure",
    "[notifications] notification_script_dir",
    "[notifications] log_storage_duration",
    "[notifications] cleanup_interval",
    "[monitoring] enabled",
    "[monitoring] data_storage_duration",
    "[plus-plugin] plugin_path",
    "[plus-license] id",
    "[plus-license] key",
    "[plus-license] proxy_url",
    "[plus-oauth] provider",
    "[plus-oauth] authorize_url",
    "[plus-oauth] redirect_uri",
    "[plus-oauth] token_url",
    "[plus-oauth] client_id",
    "[plus-oauth] client_secret",
    "[plus-oauth] device_client_id",
    "[plus-oauth] device_authorize_url",
    "[plus-oauth] device_client_secret",
    "[plus-oauth] required_organization",
    "[plus-oauth] required_group_id",
    "[plus-oauth] permitted_user_list",
    "[plus-oauth] permitted_user_match",
};

}  // namespace

class OriginalExampleConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OriginalExampleConfigTest);
    CPPUNIT_TEST(originalExampleLoads);
    CPPUNIT_TEST(originalExampleWarnsOncePerUnsupportedKey);
    CPPUNIT_TEST(originalExampleValuesAreApplied);
    CPPUNIT_TEST(ourExampleLoadsWithoutWarnings);
    CPPUNIT_TEST(ourExampleNeedsNoDatabaseOrCertificate);
    CPPUNIT_TEST_SUITE_END();

public:
    void originalExampleLoads() {
        std::vector<std::string> warnings;
        CPPUNIT_ASSERT_NO_THROW(loadConfigFile(fixture("original-example.conf"), warnings));
    }

    void originalExampleWarnsOncePerUnsupportedKey() {
        std::vector<std::string> warnings;
        loadConfigFile(fixture("original-example.conf"), warnings);
        CPPUNIT_ASSERT_EQUAL(kUnsupportedKeysOfExample.size(), warnings.size());
        for (const auto& key : kUnsupportedKeysOfExample) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                key, std::size_t{1},
                countContaining(warnings, key + ": not supported by this rportd yet, ignored"));
        }
        // Every warning names the file and a line.
        const std::string prefix = fixture("original-example.conf") + ":";
        for (const auto& line : warnings) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(line, prefix, line.substr(0, prefix.size()));
            CPPUNIT_ASSERT_MESSAGE(line,
                                   std::isdigit(static_cast<unsigned char>(line[prefix.size()])));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, countContaining(warnings, "unknown"));
    }

    void originalExampleValuesAreApplied() {
        std::vector<std::string> warnings;
        const Config c = loadConfigFile(fixture("original-example.conf"), warnings);
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1:1234"), c.server.auth);
        CPPUNIT_ASSERT_EQUAL(std::string("5448e69530b4b97fb510f96ff1550500b093"),
                             c.server.key_seed);
        CPPUNIT_ASSERT(c.server.url == std::vector<std::string>{"http://rport.example.com"});
        CPPUNIT_ASSERT_EQUAL(std::string("https://pairing.example.com"), c.server.pairing_url);
        CPPUNIT_ASSERT_EQUAL(std::string("http://intranet.lan:8080/"), c.server.proxy);
        CPPUNIT_ASSERT(c.server.check_port_timeout == std::chrono::seconds(1));
        CPPUNIT_ASSERT_EQUAL(80, c.server.acme_http_port);
        CPPUNIT_ASSERT_EQUAL(1, c.server.max_concurrent_ssh_handshakes);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/log/rport/rportd.log"), c.logging.log_file);
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0:3000"), c.api.address);
        CPPUNIT_ASSERT_EQUAL(std::string("admin"), c.api.auth_user);
        CPPUNIT_ASSERT_EQUAL(5, c.api.max_failed_login);
        CPPUNIT_ASSERT_EQUAL(3600, c.api.ban_time);
        CPPUNIT_ASSERT_EQUAL(720, c.api.max_token_lifetime);
        CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), c.database.db_type);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rport/database.sqlite3"), c.database.db_name);
        CPPUNIT_ASSERT_EQUAL(std::string("static"), c.plugins.client_auth->plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("static"), c.plugins.api_auth->plugin);
        CPPUNIT_ASSERT(!c.plugins.api_cert.has_value());
        CPPUNIT_ASSERT(!c.plugins.tunnel_cert.has_value());
    }

    void ourExampleLoadsWithoutWarnings() {
        std::vector<std::string> warnings;
        const Config c =
            loadConfigFile(rport::test::sourceDir() + "/config/rportd.example.conf", warnings);
        CPPUNIT_ASSERT_EQUAL(std::string(), warnings.empty() ? std::string() : warnings.front());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8080"), c.server.address);
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1:1234"), c.server.auth);
        CPPUNIT_ASSERT_EQUAL(std::string("./rportd-data"), c.server.data_dir);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:3000"), c.api.address);
        CPPUNIT_ASSERT_EQUAL(std::string("admin:foobaz"), c.api.auth);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.logging.log_file);
        CPPUNIT_ASSERT(c.logging.log_level == LogLevel::Info);
    }

    void ourExampleNeedsNoDatabaseOrCertificate() {
        std::vector<std::string> warnings;
        const Config c =
            loadConfigFile(rport::test::sourceDir() + "/config/rportd.example.conf", warnings);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_type);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.api.cert_file);
        CPPUNIT_ASSERT(!c.api.enable_acme);
        CPPUNIT_ASSERT(!c.plugins.api_cert.has_value());
        CPPUNIT_ASSERT(!c.server.tunnel_proxy_enabled);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OriginalExampleConfigTest);

}  // namespace rportd::config::test
