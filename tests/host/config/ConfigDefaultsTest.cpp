// Every key left out of rportd.conf takes the original server's default.
#include <cppunit/extensions/HelperMacros.h>

#include "ConfigTestSupport.h"

namespace rportd::config::test {

class ConfigDefaultsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigDefaultsTest);
    CPPUNIT_TEST(serverDefaults);
    CPPUNIT_TEST(serverTimingDefaults);
    CPPUNIT_TEST(urlDefaultFollowsAddress);
    CPPUNIT_TEST(apiDefaults);
    CPPUNIT_TEST(acmeDefaults);
    CPPUNIT_TEST(databaseAndLoggingDefaults);
    CPPUNIT_TEST(pluginDefaults);
    CPPUNIT_TEST(allowedPortsFromDefaults);
    CPPUNIT_TEST(minimalConfigHasNoWarnings);
    CPPUNIT_TEST(structDefaultsMatchLoadedDefaults);
    CPPUNIT_TEST_SUITE_END();

public:
    void serverDefaults() {
        const Config c = loadText(kMinimalConfig);
        const auto& s = c.server;
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0:8080"), s.address);
        CPPUNIT_ASSERT_EQUAL(std::string("https://pairing.openrport.io"), s.pairing_url);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rport"), s.data_dir);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.key_seed);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.auth_file);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.auth_table);
        CPPUNIT_ASSERT(s.auth_write);
        CPPUNIT_ASSERT(s.auth_multiuse_creds);
        CPPUNIT_ASSERT(!s.equate_clientauthid_clientid);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.proxy);
        CPPUNIT_ASSERT(s.used_ports == std::vector<std::string>{"20000-30000"});
        CPPUNIT_ASSERT(s.excluded_ports == std::vector<std::string>{"1-1024"});
        CPPUNIT_ASSERT(s.sqlite_wal);
        CPPUNIT_ASSERT(s.max_concurrent_ssh_handshakes >= 1);
        CPPUNIT_ASSERT(!s.allow_root);
        CPPUNIT_ASSERT_EQUAL(2.0, s.client_login_wait);
        CPPUNIT_ASSERT_EQUAL(5, s.max_failed_login);
        CPPUNIT_ASSERT_EQUAL(3600, s.ban_time);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.tunnel_host);
        CPPUNIT_ASSERT(!s.tunnel_enable_acme);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.tunnel_proxy_cert_file);
        CPPUNIT_ASSERT_EQUAL(std::string(), s.tunnel_proxy_key_file);
        CPPUNIT_ASSERT_EQUAL(std::string("1.2"), s.tls_min);
        CPPUNIT_ASSERT_EQUAL(0, s.acme_http_port);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{524288}, s.max_request_bytes_client);
        CPPUNIT_ASSERT(!s.tunnel_proxy_enabled);
        CPPUNIT_ASSERT_EQUAL(std::string("client1"), s.auth_id);
        CPPUNIT_ASSERT_EQUAL(std::string("secret"), s.auth_password);
    }

    void serverTimingDefaults() {
        const auto& s = loadText(kMinimalConfig).server;
        using namespace std::chrono;
        CPPUNIT_ASSERT(!s.purge_disconnected_clients);
        CPPUNIT_ASSERT(s.keep_disconnected_clients == hours(1));
        CPPUNIT_ASSERT(s.purge_disconnected_clients_interval == minutes(1));
        CPPUNIT_ASSERT(s.check_clients_connection_interval == minutes(5));
        CPPUNIT_ASSERT(s.check_clients_connection_timeout == seconds(30));
        CPPUNIT_ASSERT(s.check_port_timeout == seconds(2));
    }

    void urlDefaultFollowsAddress() {
        CPPUNIT_ASSERT(loadText(kMinimalConfig).server.url ==
                       std::vector<std::string>{"http://0.0.0.0:8080"});
        const Config c = loadText(kMinimalConfig + "address = \"10.1.2.3:9000\"\n");
        CPPUNIT_ASSERT(c.server.url == std::vector<std::string>{"http://10.1.2.3:9000"});
    }

    void apiDefaults() {
        const auto& a = loadText(kMinimalConfig).api;
        CPPUNIT_ASSERT_EQUAL(std::string(), a.address);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.base_url);
        CPPUNIT_ASSERT(!a.enable_acme);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth_file);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth_user_table);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth_group_table);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth_group_details_table);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.jwt_secret);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.cert_file);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.key_file);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.access_log_file);
        CPPUNIT_ASSERT_EQUAL(2.0, a.user_login_wait);
        CPPUNIT_ASSERT_EQUAL(10, a.max_failed_login);
        CPPUNIT_ASSERT_EQUAL(600, a.ban_time);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10240}, a.max_request_bytes);
        CPPUNIT_ASSERT_EQUAL(std::string("1.2"), a.tls_min);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.doc_root);
        CPPUNIT_ASSERT_EQUAL(0, a.max_token_lifetime);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.auth_header);
        CPPUNIT_ASSERT_EQUAL(std::string("Authentication-User"), a.user_header);
        CPPUNIT_ASSERT_EQUAL(14, a.password_min_length);
    }

    void acmeDefaults() {
        const auto& a = loadText(kMinimalConfig).acme;
        CPPUNIT_ASSERT_EQUAL(std::string("https://acme-v02.api.letsencrypt.org/directory"),
                             a.directory_url);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.email);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.ca_bundle);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.eab_kid);
        CPPUNIT_ASSERT_EQUAL(std::string(), a.eab_hmac_key);
        CPPUNIT_ASSERT(a.challenges.empty());  // detected from the listeners
        CPPUNIT_ASSERT(a.retry_min.value == std::chrono::minutes(1));
        CPPUNIT_ASSERT_EQUAL(std::string("1m"), a.retry_min.text);
        CPPUNIT_ASSERT(a.retry_max.value == std::chrono::hours(6));
        CPPUNIT_ASSERT_EQUAL(std::string("6h"), a.retry_max.text);
        CPPUNIT_ASSERT_EQUAL(std::string("ecdsa"), a.key_type);
    }

    void databaseAndLoggingDefaults() {
        const Config c = loadText(kMinimalConfig);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_type);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_host);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_user);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_password);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.database.db_name);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.logging.log_file);
        CPPUNIT_ASSERT(c.logging.log_level == LogLevel::Info);
        CPPUNIT_ASSERT_EQUAL(std::string("info"), toString(c.logging.log_level));
    }

    void pluginDefaults() {
        const Config c = loadText(kMinimalConfig);
        CPPUNIT_ASSERT_EQUAL(std::string(), c.plugins.dir);
        // The static pair selects the "static" plugin; nothing else is selected.
        CPPUNIT_ASSERT(c.plugins.client_auth.has_value());
        CPPUNIT_ASSERT(!c.plugins.api_auth.has_value());
        CPPUNIT_ASSERT(!c.plugins.api_cert.has_value());
        CPPUNIT_ASSERT(!c.plugins.tunnel_cert.has_value());
    }

    void allowedPortsFromDefaults() {
        const auto& ports = loadText(kMinimalConfig).server.allowed_ports;
        CPPUNIT_ASSERT_EQUAL(std::size_t{10001}, ports.size());
        CPPUNIT_ASSERT(ports.contains(20000));
        CPPUNIT_ASSERT(ports.contains(30000));
        CPPUNIT_ASSERT(!ports.contains(19999));
        CPPUNIT_ASSERT(!ports.contains(30001));
    }

    void minimalConfigHasNoWarnings() {
        std::vector<std::string> warnings;
        loadText(kMinimalConfig, &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, warnings.size());
    }

    void structDefaultsMatchLoadedDefaults() {
        // A hand-built Config starts from the same defaults the loader uses.
        Config built;
        built.server.auth = "client1:secret";
        validate(built);
        const Config loaded = loadText(kMinimalConfig);
        CPPUNIT_ASSERT(built.server.url == loaded.server.url);
        CPPUNIT_ASSERT(built.server.allowed_ports == loaded.server.allowed_ports);
        CPPUNIT_ASSERT_EQUAL(loaded.api.max_failed_login, built.api.max_failed_login);
        CPPUNIT_ASSERT(built.server.keep_disconnected_clients ==
                       loaded.server.keep_disconnected_clients);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigDefaultsTest);

}  // namespace rportd::config::test
